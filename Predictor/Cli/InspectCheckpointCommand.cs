using System.CommandLine;
using TfMnist.Cli;
using TfMnist.Inspect;
using TfMnist.Predictor.Inspect;

namespace TfMnist.Predictor.Cli;

/// <summary>
/// <c>inspect checkpoint DIR [--tensor NAME] [--values]</c>: every tensor of the latest checkpoint
/// with dtype, shape, statistics and CRC status, like TF's <c>inspect_checkpoint --all_tensors</c>.
/// </summary>
internal sealed class InspectCheckpointCommand : Command
{
    public InspectCheckpointCommand(CommandContext context)
        : base("checkpoint", "Every tensor of a V2 checkpoint: dtype, shape, min, max, mean, std and whether its CRC matches")
    {
        var path = new Argument<string>("DIR") { Description = "Checkpoint directory (its latest checkpoint), prefix (model/mnist) or .index file" };
        var tensor = new Option<string>("--tensor") { Description = "Only this tensor", HelpName = "NAME" };
        var values = new Option<bool>("--values") { Description = "Also print the values of the --tensor" };
        var json = JsonOutput.Option();
        Add(path);
        Add(tensor);
        Add(values);
        Add(json);
        SetAction(p => InspectCommand.Run(context, p, () =>
        {
            string? name = p.GetValue(tensor);
            bool withValues = p.GetValue(values);
            if (withValues && name is null) throw new UsageException("--values prints one tensor's values: name it with --tensor NAME");
            var report = CheckpointInspector.Inspect(p.GetValue(path)!, name, withValues);
            if (p.GetValue(json)) JsonOutput.Write(context.Out, report);
            else CheckpointText.Write(context.Out, report);
            return ExitCodes.Ok;
        }));
    }
}
