using System.CommandLine;
using TfMnist.Cli;
using TfMnist.Data;
using TfMnist.Trainer;

var hidden = new Option<int>("--hidden") { Description = "Hidden units (HIDDEN_LAYER_POTIN_NUM)", DefaultValueFactory = _ => 100 };
var batch = new Option<int>("--batch") { Description = "Batch size (TRAIN_BATCH_NUM)", DefaultValueFactory = _ => 100 };
var steps = new Option<int>("--steps") { Description = "Training iterations (TRAIN_STEP)", DefaultValueFactory = _ => 10000 };
var learningRate = new Option<float>("--learning-rate") { Description = "SGD learning rate (TRAIN_LEARN_RATE)", DefaultValueFactory = _ => 0.04f };
var keepProb = new Option<float>("--keep-prob") { Description = "Dropout keep probability while training (DROPOUT_RATE)", DefaultValueFactory = _ => 0.9f };
var noDropout = new Option<bool>("--no-dropout") { Description = "Leave out the dropout layer (BOL_DROPOUT = False)" };
var noCheckpoint = new Option<bool>("--no-checkpoint") { Description = "Do not save model/mnist (BOL_SAVE_CHECKPOINT = False)" };
var dataDir = new Option<string>("--data-dir") { Description = "Folder with the MNIST gz files", DefaultValueFactory = _ => "MNIST_data" };
var logDir = new Option<string>("--log-dir") { Description = "TensorBoard log folder (train/ and test/ inside)", DefaultValueFactory = _ => "eventlog" };
var modelDir = new Option<string>("--model-dir") { Description = "Checkpoint folder (model/mnist.*)", DefaultValueFactory = _ => "model" };
var seed = new Option<int?>("--seed") { Description = "Seed for weights, dropout and batch order (reproducible runs)" };
var resume = new Option<bool>("--resume") { Description = "Restore the newest checkpoint in --model-dir and train --steps more steps from its global step" };
var printEvery = new Option<int>("--print-every") { Description = "Print a test-accuracy line every N steps", DefaultValueFactory = _ => 100 };
var maxImages = new Option<int>("--max-images") { Description = "Most images (and labels) an IDX file may claim", DefaultValueFactory = _ => IdxReader.DefaultMaxImages };
var exportOnnx = new Option<string?>("--export-onnx") { Description = "After the run, write the saved model as ONNX to this file (input/inputData:0 -> layerOutput/activation:0)", HelpName = "FILE" };
var verbose = new Option<bool>("--verbose") { Description = "Print the stack trace of an error after its one-line message" };

var root = new RootCommand("TfMnist trainer: nn_train.py on the TfMnist engine (784-100-10 MLP, SGD, TensorBoard logs, TF checkpoint).")
{
    hidden, batch, steps, learningRate, keepProb, noDropout, noCheckpoint, dataDir, logDir, modelDir, seed, printEvery, resume, maxImages, exportOnnx, verbose,
};
Require(hidden, v => v > 0, "must be positive");
Require(batch, v => v > 0, "must be positive");
Require(steps, v => v >= 0, "must not be negative");
Require(learningRate, v => v > 0 && float.IsFinite(v), "must be a positive number");
Require(keepProb, v => v is > 0 and <= 1, "must be in (0, 1]");
Require(printEvery, v => v > 0, "must be positive");
Require(maxImages, v => v > 0, "must be positive");
root.SetAction(parse =>
{
    var options = new TrainerOptions
    {
        HiddenUnits = parse.GetValue(hidden),
        BatchSize = parse.GetValue(batch),
        Steps = parse.GetValue(steps),
        LearningRate = parse.GetValue(learningRate),
        KeepProb = parse.GetValue(keepProb),
        UseDropout = !parse.GetValue(noDropout),
        SaveCheckpoint = !parse.GetValue(noCheckpoint),
        DataDir = parse.GetValue(dataDir)!,
        LogDir = parse.GetValue(logDir)!,
        ModelDir = parse.GetValue(modelDir)!,
        Seed = parse.GetValue(seed),
        PrintEvery = parse.GetValue(printEvery),
        Resume = parse.GetValue(resume),
        MaxImages = parse.GetValue(maxImages),
        ExportOnnx = parse.GetValue(exportOnnx),
    };
    // SIGINT/SIGTERM: finish the step, flush logs and save; a second signal kills the process.
    using var signals = new StopSignals(Console.Error);
    var reporter = new ConsoleReporter(Console.Out, interactive: !Console.IsOutputRedirected);
    try
    {
        OnnxExport.Validate(options);
        var result = new TrainingRun(options, reporter).Run(signals.Token);
        if (options.ExportOnnx is not null && !result.Interrupted) Console.WriteLine(OnnxExport.Write(options));
        return result.Interrupted ? signals.ExitCode ?? ExitCodes.Interrupted : ExitCodes.Ok;
    }
    catch (TrainingDivergedException e)
    {
        ErrorReport.Write(Console.Error, e, parse.GetValue(verbose));
        return ExitCodes.Diverged;
    }
    catch (Exception e)
    {
        // One line (exit 1, or 2 for a usage error found after loading the data); --verbose adds the trace.
        return ErrorReport.Write(Console.Error, e, parse.GetValue(verbose));
    }
});
try
{
    var parsed = root.Parse(args);
    if (parsed.Errors.Count > 0)
    {
        Console.Error.WriteLine($"error: {ErrorReport.OneLine(parsed.Errors[0].Message)} (run 'Trainer --help' for usage)");
        return ExitCodes.Usage;
    }
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return ErrorReport.Write(Console.Error, e, ErrorReport.IsVerbose(args));
}

// An option-level check, so a bad value is reported with the option's name and nothing runs.
static void Require<T>(Option<T> option, Func<T, bool> isValid, string rule) =>
    option.Validators.Add(result =>
    {
        T value;
        try
        {
            value = result.GetValueOrDefault<T>();
        }
        catch (InvalidOperationException)
        {
            return; // not a T at all: the parser reports that error itself
        }
        if (!isValid(value)) result.AddError($"{option.Name} {rule} (got {value}).");
    });
