using System.Diagnostics;
using Tensorflow;
using Tensorflow.NumPy;
using TfMnist.Data;
using TfMnist.Mnist;
using TfMnist.Summary;
using static Tensorflow.Binding;

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

        using var graph = tf.Graph().as_default();
        if (options.Seed is int seed) tf.set_random_seed(seed);
        var net = MnistNetwork.Build(new MnistHyperParameters(options.HiddenUnits, options.LearningRate, options.UseDropout));
        var globalStep = GlobalStep.Create();
        var saver = options.SaveCheckpoint || options.Resume ? tf.train.Saver() : null;
        var init = tf.global_variables_initializer();
        graph.finalize();

        using var sess = tf.Session(graph);
        sess.run(init);
        long firstStep = 0;
        if (options.Resume)
        {
            string resumed = RunCheckpoints.ResumePrefix(options.ModelDir);
            saver!.restore(sess, resumed);
            firstStep = globalStep.Read(sess);
            reporter.Info($"Resuming {resumed} at global step {firstStep}");
        }
        using var train_writer = tf.summary.FileWriter(Path.Combine(options.LogDir, "train"), graph, flush_secs: 5);
        using var test_writer = tf.summary.FileWriter(Path.Combine(options.LogDir, "test"), flush_secs: 5);

        // Feeds wrap reusable buffers: a step copies the next batch in, and no feed allocates an array.
        var batch_xs = new float[options.BatchSize * 784];
        var batch_ys = new float[options.BatchSize * 10];
        NDArray images = np.array(batch_xs).reshape((options.BatchSize, 784)), labels = np.array(batch_ys).reshape((options.BatchSize, 10));
        NDArray test_images = data.Test.Images, test_labels = data.Test.LabelsOneHot;
        test_images = test_images.reshape((data.Test.NumExamples, 784));
        test_labels = test_labels.reshape((data.Test.NumExamples, 10));
        FeedItem[] TrainFeed() => Feed(net, images, labels, options.KeepProb);
        FeedItem[] TestFeed() => Feed(net, test_images, test_labels, 1f);
        var run_options = tf.RunOptions(trace_level: RunOptions.FULL_TRACE);

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
                    var (summary, acc) = sess.run((net.Merged, net.Accuracy), TestFeed());
                    test_writer.add_summary(summary, step);
                    accuracy = acc;
                    reporter.Evaluation((int)step, accuracy, Stopwatch.GetElapsedTime(stepStart).TotalMilliseconds, options.PrintEvery);
                }
                else
                {
                    data.Train.NextBatch(options.BatchSize, batch_xs, batch_ys);
                    NDArray summary, loss;
                    if (step % 100 == 99)
                    {
                        var run_metadata = tf.RunMetadata();
                        var results = sess.run([net.Merged, net.TrainStep, net.CrossEntropy], TrainFeed(), run_options, run_metadata);
                        train_writer.add_run_metadata(run_metadata, $"step{step:D3}", step);
                        (summary, loss) = (results[0], results[2]);
                    }
                    else
                    {
                        (summary, _, loss) = sess.run((net.Merged, net.TrainStep, net.CrossEntropy), TrainFeed());
                    }
                    if (!float.IsFinite(loss))
                        throw new TrainingDivergedException(step, $"the loss ({net.CrossEntropy.name})", loss, options.LearningRate);
                    train_writer.add_summary(summary, step);
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
            train_writer.close();
            test_writer.close();
        }
        bool interrupted = step < lastStep;
        int stepsRun = (int)(step - firstStep);

        accuracy = sess.run(net.Accuracy, TestFeed());
        double seconds = loop.Elapsed.TotalSeconds;
        reporter.Finish(stepsRun, accuracy, options, seconds, interrupted);

        string? prefix = null;
        if (saver is not null && options.SaveCheckpoint)
        {
            globalStep.Assign(sess, step);
            (prefix, string message) = RunCheckpoints.Save(saver.Value, sess.Value, options, step, interrupted);
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

    /// <summary>feed_dict(): images and labels, and keep_prob when the network has dropout.</summary>
    private static FeedItem[] Feed(MnistNetwork net, NDArray xs, NDArray ys, float keepProb) =>
        net.KeepProb is null ? [(net.InputData, xs), (net.InputLabel, ys)] : [(net.InputData, xs), (net.InputLabel, ys), (net.KeepProb, keepProb)];
}
