using System.CommandLine;
using TfMnist.Cli;

namespace TfMnist.Predictor.Cli;

/// <summary>
/// The model options (<c>--model</c>, <c>--input</c>, <c>--output</c>, <c>--keep-prob</c>,
/// <c>--feed</c>), added by each command that loads a model to itself with <see cref="AddTo"/>; a
/// command that loads none (the root, <c>inspect</c>) never lists them.
/// </summary>
internal sealed class ModelCommandOptions
{
    private readonly Option<string> _model = StringOption("--model", "Directory with the trained checkpoint", ModelOptions.DefaultModelDirectory, "DIR");
    private readonly Option<string> _input = StringOption("--input", "Input placeholder tensor name", ModelOptions.DefaultInputTensor, "NAME");
    // The default output is the logits (layerOutput/activation); a Softmax output is used as it is.
    private readonly Option<string> _output = StringOption("--output", "Output tensor name (logits, or a Softmax)", ModelOptions.DefaultOutputTensor, "NAME");
    private readonly Option<string> _keepProb = StringOption("--keep-prob",
        "Dropout keep-probability placeholder, fed 1.0 (skipped when absent from the graph)", ModelOptions.DefaultKeepProbTensor, "NAME");
    private readonly Option<string[]> _feed = new("--feed")
    {
        Description = "Extra scalar feed, repeatable",
        HelpName = "NAME=VALUE",
        DefaultValueFactory = _ => [],
    };

    private ModelCommandOptions()
    {
    }

    /// <summary>Adds the model options to <paramref name="command"/>, after the options it has.</summary>
    public static ModelCommandOptions AddTo(Command command)
    {
        var options = new ModelCommandOptions();
        command.Add(options._model);
        command.Add(options._input);
        command.Add(options._output);
        command.Add(options._keepProb);
        command.Add(options._feed);
        return options;
    }

    /// <summary>Model options from the command line; also checks the model directory exists.</summary>
    public ModelOptions Read(ParseResult p)
    {
        var feeds = new List<ScalarFeed>();
        foreach (string spec in p.GetValue(_feed) ?? [])
        {
            try
            {
                feeds.Add(ScalarFeed.Parse(spec));
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }
        }
        string dir = p.GetValue(_model)!;
        if (!Directory.Exists(dir))
            throw new CommandFailedException($"model directory '{dir}' does not exist (train first with 'dotnet run --project Trainer', or pass --model DIR)");
        return new ModelOptions(dir, p.GetValue(_input)!, p.GetValue(_output)!, p.GetValue(_keepProb)!, feeds);
    }

    /// <summary>The classifier named by the options, from the context's factory.</summary>
    public IDigitClassifier LoadClassifier(ParseResult p, CommandContext context) => context.ClassifierFactory(Read(p));

    private static Option<string> StringOption(string name, string description, string defaultValue, string helpName) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = helpName,
    };
}
