using System.CommandLine;
using TfMnist.Cli;
using TfMnist.Inspect;
using TfMnist.Predictor.Inspect;

namespace TfMnist.Predictor.Cli;

/// <summary>
/// <c>inspect events DIR</c>: like <c>tensorboard --inspect</c>, per run (directory of event files)
/// its tags with kind, count and steps, the scalars' ranges, and each file's version, records and
/// truncated tail. Streams the files, so a 200 MB log is never held in memory.
/// </summary>
internal sealed class InspectEventsCommand : Command
{
    public InspectEventsCommand(CommandContext context)
        : base("events", "What an event log holds: per run its tags (kind, count, first and last step, scalar values) and files")
    {
        var path = new Argument<string>("DIR") { Description = "Log directory (each directory with event files below it is a run) or one event file" };
        var json = JsonOutput.Option();
        Add(path);
        Add(json);
        SetAction(p => InspectCommand.Run(context, p, () =>
        {
            var report = EventLogInspector.Inspect(p.GetValue(path)!);
            if (p.GetValue(json)) JsonOutput.Write(context.Out, report);
            else EventsText.Write(context.Out, report);
            return ExitCodes.Ok;
        }));
    }
}
