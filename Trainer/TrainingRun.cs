using System.Diagnostics;
using TfMnist.Api;
using TfMnist.Core;
using TfMnist.Data;
using TfMnist.Framework;
using TfMnist.Mnist;
using TfMnist.Runtime;
using TfMnist.Summary;

namespace TfMnist.Trainer;

/// <summary>What a finished (or interrupted) run reports.</summary>
public sealed record TrainingResult(int StepsRun, float FinalAccuracy, double TotalSeconds, string? CheckpointPrefix, bool Interrupted, long GlobalStep = 0);

/// <summary>
/// nn_train.py's main loop: every EvalEvery-th step an accuracy check on the whole test set
/// (summaries to eventlog/test), otherwise a training step on the next batch (summaries to
/// eventlog/train, with a full trace and run metadata every 100th step), then a final accuracy
/// and the checkpoint (per <see cref="RunCheckpoints"/>: an interrupted run never replaces the
/// current model). With --resume the variables and the global step come from the newest checkpoint
/// and the event logs continue at the next step. NaN or Infinity in the loss or in a histogram
/// summary stops the run with <see cref="TrainingDivergedException"/> and saves nothing.
/// </summary>
public sealed class TrainingRun(TrainerOptions options, IProgressReporter reporter)
{
    public TrainingResult Run(CancellationToken cancellation)
    {
        var started = Stopwatch.StartNew();
        if (options.SaveCheckpoint) EnsureWritable(options.ModelDir, "--model-dir");
        var data = MnistDataSets.ReadDataSets(options.DataDir, oneHot: true, seed: options.Seed,
            download: new MnistDownloadOptions { Progress = reporter.DownloadProgress }, maxImages: options.MaxImages);
        if (options.BatchSize > data.Train.NumExamples)
            throw new Cli.UsageException(
                $"--batch {options.BatchSize} is larger than the training set ({data.Train.NumExamples} images in {options.DataDir}).");
        reporter.Info($"Loaded MNIST from {options.DataDir}: {data.Train.NumExamples} train, {data.Validation.NumExamples} validation, {data.Test.NumExamples} test ({started.ElapsedMilliseconds} ms)");

        var graph = new Graph();
        using var defaultGraph = graph.AsDefault();
        var net = MnistNetwork.Build(new MnistHyperParameters(options.HiddenUnits, options.LearningRate, options.UseDropout));
        var globalStep = GlobalStep.Create();
        var saver = options.SaveCheckpoint || options.Resume ? tf.train.Saver() : null;
        var init = tf.global_variables_initializer();
        graph.Freeze();

        using var session = new Session(graph) { Seed = options.Seed };
        session.Run([init]);
        long firstStep = 0;
        if (options.Resume)
        {
            string resumed = RunCheckpoints.ResumePrefix(options.ModelDir);
            saver!.Restore(session, resumed);
            firstStep = globalStep.Read(session);
            reporter.Info($"Resuming {resumed} at global step {firstStep}");
        }
        using var trainWriter = tf.summary.FileWriter(Path.Combine(options.LogDir, "train"), graph, TimeSpan.FromSeconds(5));
        using var testWriter = tf.summary.FileWriter(Path.Combine(options.LogDir, "test"), flush_interval: TimeSpan.FromSeconds(5));

        // Feeds wrap reusable buffers: a step copies the next batch in and allocates nothing.
        var batchImages = new NDArray(DType.Float, [options.BatchSize, 784], new float[options.BatchSize * 784]);
        var batchLabels = new NDArray(DType.Float, [options.BatchSize, 10], new float[options.BatchSize * 10]);
        var testImages = new NDArray(DType.Float, [data.Test.NumExamples, 784], data.Test.Images);
        var testLabels = new NDArray(DType.Float, [data.Test.NumExamples, 10], data.Test.LabelsOneHot);
        NDArray trainKeep = options.KeepProb, fullKeep = 1f;

        var feeds = net.KeepProb is null ? new[] { net.InputData, net.InputLabel } : new[] { net.InputData, net.InputLabel, net.KeepProb };
        var evaluate = session.MakeCallable([net.Merged, net.Accuracy], feeds);
        var train = session.MakeCallable([net.Merged, net.CrossEntropy], feeds, [net.TrainStep]);
        NDArray[] testValues = net.KeepProb is null ? [testImages, testLabels] : [testImages, testLabels, fullKeep];
        NDArray[] trainValues = net.KeepProb is null ? [batchImages, batchLabels] : [batchImages, batchLabels, trainKeep];
        var traceOptions = tf.RunOptions(trace_level: Runtime.TraceLevel.FullTrace);

        var loop = Stopwatch.StartNew();
        float accuracy = 0;
        long step = firstStep, lastStep = firstStep + options.Steps;
        reporter.Start(options.Steps);
        try
        {
            for (; step < lastStep && !cancellation.IsCancellationRequested; step++)
            {
                long stepStart = Stopwatch.GetTimestamp();
                if (step % options.EvalEvery == 0)
                {
                    var results = evaluate.Run(testValues);
                    testWriter.AddSummary(results[0]!, step);
                    accuracy = results[1]!.Floats[0];
                    reporter.Evaluation((int)step, accuracy, Stopwatch.GetElapsedTime(stepStart).TotalMilliseconds, options.PrintEvery);
                }
                else
                {
                    data.Train.NextBatch(options.BatchSize, batchImages.Floats, batchLabels.Floats);
                    NDArray?[] results;
                    if (step % 100 == 99)
                    {
                        var metadata = tf.RunMetadata();
                        results = session.Run([net.Merged, net.TrainStep, net.CrossEntropy], Feed(feeds, trainValues), traceOptions, metadata);
                        trainWriter.AddRunMetadata(metadata, $"step{step:D3}", step);
                        results = [results[0], results[2]];
                    }
                    else
                    {
                        results = [.. train.Run(trainValues)];
                    }
                    float loss = results[1]!.Floats[0];
                    if (!float.IsFinite(loss))
                        throw new TrainingDivergedException(step, $"the loss ({net.CrossEntropy.Name})", loss, options.LearningRate);
                    trainWriter.AddSummary(results[0]!, step);
                }
                reporter.Step((int)(step - firstStep + 1), accuracy);
            }
        }
        catch (NonFiniteSummaryException e)
        {
            throw new TrainingDivergedException(step, $"the histogram summary {e.Tag}", e.Value, options.LearningRate);
        }
        finally
        {
            // Also when the run diverged: the logs up to that step are worth reading.
            trainWriter.Close();
            testWriter.Close();
        }
        bool interrupted = step < lastStep;
        int stepsRun = (int)(step - firstStep);

        accuracy = evaluate.Run(testValues)[1]!.Floats[0];
        double seconds = loop.Elapsed.TotalSeconds;
        reporter.Finish(stepsRun, accuracy, options, seconds, interrupted);

        string? prefix = null;
        if (saver is not null && options.SaveCheckpoint)
        {
            globalStep.Assign(session, step);
            (prefix, string message) = RunCheckpoints.Save(saver, session, options, step, interrupted);
            reporter.Info(message);
        }
        return new TrainingResult(stepsRun, accuracy, seconds, prefix, interrupted, step);
    }

    /// <summary>Fails before training, not after it, when the checkpoint could not be written.</summary>
    private static void EnsureWritable(string directory, string option)
    {
        try
        {
            Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, $".write-test-{Environment.ProcessId}.tmp");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write the checkpoint to '{Path.GetFullPath(directory)}' ({option}): {e.Message}", e);
        }
    }

    private static FeedItem[] Feed(Tensor[] tensors, NDArray[] values) =>
        tensors.Select((t, i) => new FeedItem(t, values[i])).ToArray();
}
