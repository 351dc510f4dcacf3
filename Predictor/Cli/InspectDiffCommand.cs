using System.CommandLine;
using TfMnist.Cli;
using TfMnist.Inspect;
using TfMnist.Predictor.Inspect;

namespace TfMnist.Predictor.Cli;

/// <summary>
/// <c>inspect diff A B</c>: two event logs, graphs or checkpoints (the kind detected), e.g. a C#
/// run against the Python original's. Exit code as diff(1): 0 equal in structure, 1 not, 2 trouble.
/// </summary>
internal sealed class InspectDiffCommand : Command
{
    public InspectDiffCommand(CommandContext context)
        : base("diff", "Compare two event logs, graphs or checkpoints: names only in one, TF's renames, op types, scalar curves, tensors. "
            + "Exit code as diff(1): 0 equal in structure, 1 different, 2 trouble")
    {
        var a = new Argument<string>("A") { Description = "Event log, graph (.meta/.pb) or checkpoint" };
        var b = new Argument<string>("B") { Description = "The same kind of thing as A" };
        var json = JsonOutput.Option();
        Add(a);
        Add(b);
        Add(json);
        SetAction(p => InspectCommand.Run(context, p, () =>
        {
            var report = Differ.Diff(p.GetValue(a)!, p.GetValue(b)!);
            if (p.GetValue(json)) JsonOutput.Write(context.Out, report);
            else DiffText.Write(context.Out, report);
            return report.Equal ? ExitCodes.Ok : ExitCodes.Different;
        }));
    }
}
