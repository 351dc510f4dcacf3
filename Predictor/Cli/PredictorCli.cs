using System.CommandLine;
using TfMnist.Cli;

namespace TfMnist.Predictor.Cli;

/// <summary>
/// The command line: the root command and its commands, one class per file (<see cref="PredictCommand"/>,
/// <see cref="EvalCommand"/>, <see cref="ServeCommand"/>), each declaring the options it takes; only
/// <c>--verbose</c> is global. Adding a command is its file and one line in <see cref="BuildCommand"/>.
/// Exit codes follow <see cref="ExitCodes"/>: 0 success; 1 error (unreadable input, data or model);
/// 2 usage (bad options or arguments). Every failure is one line on stderr; <c>--verbose</c> adds
/// the stack trace.
/// </summary>
public sealed class PredictorCli
{
    private readonly CommandContext _context;

    private readonly Option<bool> _verbose = new("--verbose")
    {
        Description = "Print the stack trace of an error after its one-line message",
        Recursive = true,
    };

    public PredictorCli(Func<ModelOptions, IDigitClassifier> factory, TextWriter stdout, TextWriter stderr)
    {
        _context = new CommandContext(
            factory ?? throw new ArgumentNullException(nameof(factory)),
            stdout ?? throw new ArgumentNullException(nameof(stdout)),
            stderr ?? throw new ArgumentNullException(nameof(stderr)));
    }

    public RootCommand BuildCommand()
    {
        var root = new RootCommand("TfMnist predictor: name handwritten digits with the trained 784-100-10 network.");
        root.Add(_verbose);
        root.Add(new PredictCommand(_context));
        root.Add(new EvalCommand(_context));
        root.Add(new ServeCommand(_context));
        root.Add(new InspectCommand(_context));
        root.Add(new ExportCommand(_context));
        return root;
    }

    /// <summary>Parses and runs; returns the exit code.</summary>
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        ParseResult? parse = null;
        try
        {
            parse = BuildCommand().Parse(args);
            if (parse.Errors.Count > 0)
            {
                // One line: the first error and where to read the usage.
                _context.Err.WriteLine($"error: {ErrorReport.OneLine(parse.Errors[0].Message)} (run 'Predictor --help' for usage)");
                return ExitCodes.Usage;
            }
            // A command's failure propagates here (no default handler) and is mapped below.
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = _context.Out,
                Error = _context.Err,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // serve handles SIGINT/SIGTERM itself
            }, cancellationToken);
        }
        catch (ModelLoadException e)
        {
            return ErrorReport.Write(_context.Err, e, IsVerbose(parse, args), "cannot load the model: ");
        }
        catch (Exception e)
        {
            return ErrorReport.Write(_context.Err, e, IsVerbose(parse, args));
        }
    }

    /// <summary>--verbose as parsed, or as written when the arguments did not parse.</summary>
    private bool IsVerbose(ParseResult? parse, string[] args) =>
        parse is { Errors.Count: 0 } ? parse.GetValue(_verbose) : ErrorReport.IsVerbose(args);
}
