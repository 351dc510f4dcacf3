using System.CommandLine;
using TfMnist.Cli;

namespace TfMnist.Predictor.Cli;

/// <summary>
/// <c>inspect</c>: TensorFlow's companion tools over the engine's format readers, one subcommand
/// per file (<see cref="InspectCheckpointCommand"/>, <see cref="InspectEventsCommand"/>,
/// <see cref="InspectGraphCommand"/>, <see cref="InspectDiffCommand"/>). It loads no model, so the
/// model options of predict/eval/serve are not among its options. Exit codes as diff(1): 0 done
/// (or equal), 1 different (diff), 2 any error.
/// </summary>
internal sealed class InspectCommand : Command
{
    public InspectCommand(CommandContext context)
        : base("inspect", "Inspect checkpoints, event logs and graphs written by TensorFlow 0.12-1.15 or TfMnist, or diff two of them "
            + "(V1 checkpoints, SavedModel and text protos are out of scope)")
    {
        Add(new InspectCheckpointCommand(context));
        Add(new InspectEventsCommand(context));
        Add(new InspectGraphCommand(context));
        Add(new InspectDiffCommand(context));
    }

    /// <summary>
    /// Runs an inspect action: any failure is one line on stderr (the stack trace under
    /// <c>--verbose</c>) and exit code 2, whatever its cause, as diff(1) reports trouble.
    /// </summary>
    public static int Run(CommandContext context, ParseResult parse, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ErrorReport.Write(context.Err, e, parse.GetValue<bool>("--verbose"));
            return ExitCodes.InspectTrouble;
        }
    }
}
