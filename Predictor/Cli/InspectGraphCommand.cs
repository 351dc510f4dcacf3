using System.CommandLine;
using TfMnist.Cli;
using TfMnist.Inspect;
using TfMnist.Predictor.Inspect;

namespace TfMnist.Predictor.Cli;

/// <summary>
/// <c>inspect graph FILE.meta|DIR|events-file</c>: like <c>saved_model_cli show</c>, the graph's
/// scopes, its placeholders and its candidate outputs, i.e. what to pass to <c>--input</c>/<c>--output</c>.
/// </summary>
internal sealed class InspectGraphCommand : Command
{
    public InspectGraphCommand(CommandContext context)
        : base("graph", "A graph's nodes by scope, its placeholders (--input) and candidate outputs (--output)")
    {
        var path = new Argument<string>("FILE")
        {
            Description = "A .meta or binary .pb file, a checkpoint directory (its .meta), or an event file or log directory (its graph)",
        };
        var depth = new Option<int>("--depth")
        {
            Description = "Parts of a node name that make its scope [default: 1]",
            DefaultValueFactory = _ => 1,
            HelpName = "N",
        };
        depth.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--depth must be at least 1");
        });
        var json = JsonOutput.Option();
        Add(path);
        Add(depth);
        Add(json);
        SetAction(p => InspectCommand.Run(context, p, () =>
        {
            var report = GraphInspector.Inspect(p.GetValue(path)!, p.GetValue(depth));
            if (p.GetValue(json)) JsonOutput.Write(context.Out, report);
            else GraphText.Write(context.Out, report);
            return ExitCodes.Ok;
        }));
    }
}
