using static Tensorflow.Binding;
using TfMnist.Core;
using TfMnist.Data;
using TfMnist.Framework;
using TfMnist.Mnist;
using TfMnist.Runtime;
using TfMnist.Summary;

namespace TfMnist.EndToEnd;

/// <summary>train -> eventlog/ + model/ -> read back and restore, on the real MNIST.</summary>
[Collection(TrainingCollection.Name)]
public class TrainingRunTests(TrainingFixture fixture)
{
    [Fact]
    public void ShortRunLearnsFarBeyondChance()
    {
        var (_, result) = fixture.Require();
        Assert.Equal(TrainingFixture.Steps, result.StepsRun);
        // Chance is 10%; the original's schedule reaches about 80% after 300 SGD steps (90% after
        // 1000, 96% after 10000). 70% on 10000 test images cannot happen by luck.
        Assert.True(result.FinalAccuracy > 0.70f, $"final test accuracy {result.FinalAccuracy:P2}");
        Assert.Equal(TrainingFixture.Steps / 10, fixture.Reporter.Evaluations.Count);
    }

    [Fact]
    public void EventLogsHoldTheOriginalsTagsGraphImagesAndRunMetadata()
    {
        var (options, _) = fixture.Require();
        var trainEvents = ReadAll(Path.Combine(options.LogDir, "train"));
        var testEvents = ReadAll(Path.Combine(options.LogDir, "test"));
        Assert.Equal("brain.Event:2", trainEvents[0].FileVersion);
        Assert.Equal("brain.Event:2", testEvents[0].FileVersion);

        var graph = Proto.GraphDef.Parser.ParseFrom(trainEvents.Single(e => e.WhatCase == Proto.Event.WhatOneofCase.GraphDef).GraphDef);
        Assert.Contains(graph.Node, n => n.Name == "layerHidden1/activation" && n.Op == "Relu");
        Assert.All(graph.Node, n => Assert.True(n.Attr.ContainsKey("_output_shapes"), n.Name));

        var runMetadataTags = trainEvents.Where(e => e.WhatCase == Proto.Event.WhatOneofCase.TaggedRunMetadata)
            .Select(e => (e.TaggedRunMetadata.Tag, e.Step)).ToList();
        Assert.Equal([("step099", 99L), ("step199", 199L), ("step299", 299L)], runMetadataTags);
        var stats = Proto.RunMetadata.Parser.ParseFrom(trainEvents.First(e => e.TaggedRunMetadata is not null).TaggedRunMetadata.RunMetadata);
        Assert.Contains(stats.StepStats.DevStats[0].NodeStats, n => n.NodeName == "layerHidden1/linear_compute/MatMul");

        var trainSteps = trainEvents.Where(e => e.Summary is not null).Select(e => e.Step).ToList();
        Assert.Equal(Enumerable.Range(0, TrainingFixture.Steps).Where(i => i % 10 != 0).Select(i => (long)i), trainSteps);
        var testSteps = testEvents.Where(e => e.Summary is not null).Select(e => e.Step).ToList();
        Assert.Equal(Enumerable.Range(0, TrainingFixture.Steps / 10).Select(i => i * 10L), testSteps);

        var tags = testEvents.First(e => e.Summary is not null).Summary.Value.Select(v => v.Tag).ToHashSet();
        foreach (string tag in ExpectedTags()) Assert.Contains(tag, tags);
        var images = testEvents.First(e => e.Summary is not null).Summary.Value.Where(v => v.Image is not null).ToList();
        Assert.Equal(10, images.Count);
        Assert.All(images, v => Assert.Equal((28, 28, 1), (v.Image.Height, v.Image.Width, v.Image.Colorspace)));
        var accuracy = testEvents.Last(e => e.Summary is not null).Summary.Value.Single(v => v.Tag == "accuracy_1");
        Assert.InRange(accuracy.SimpleValue, 50f, 100f); // the rate times 100, as the original logs it
    }

    [Fact]
    public void CheckpointRestoresInAFreshGraphByTensorName()
    {
        var (options, result) = fixture.Require();
        string modelDir = options.ModelDir;
        foreach (string name in new[] { "mnist.index", "mnist.data-00000-of-00001", "mnist.meta", "checkpoint" })
            Assert.True(File.Exists(Path.Combine(modelDir, name)), name);

        var test = MnistDataSets.ReadDataSets(fixture.DataDir!, validationSize: 0, cancellation: TestContext.Current.CancellationToken).Test;
        var graph = new Graph();
        using var _ = graph.AsDefault();
        var saver = tf.train.import_meta_graph(Path.Combine(modelDir, "mnist.meta"))!;
        using var session = new Session(graph);
        saver.Value.Restore(session, tf.train.latest_checkpoint(modelDir)!);
        var input = graph.GetTensorByName(MnistTensorNames.InputData);
        var keepProb = graph.GetTensorByName(MnistTensorNames.KeepProb);
        var logits = session.Run(MnistTensorNames.Output,
            (input, new NDArray(DType.Float, [test.NumExamples, 784], test.Images)), (keepProb, 1f))!;
        int correct = 0;
        for (int i = 0; i < test.NumExamples; i++)
        {
            var row = logits.Floats.Slice(i * 10, 10);
            int best = 0;
            for (int k = 1; k < 10; k++) if (row[k] > row[best]) best = k;
            if (best == test.Labels[i]) correct++;
        }
        // The restored network scores exactly what the trainer printed at its end.
        Assert.Equal(result.FinalAccuracy, correct / (float)test.NumExamples, 4);
    }

    private static List<Proto.Event> ReadAll(string dir)
    {
        var files = Directory.GetFiles(dir, "events.out.tfevents.*");
        Assert.Single(files);
        return EventFileReader.Read(files[0]).ToList();
    }

    private static IEnumerable<string> ExpectedTags()
    {
        yield return "input_reshape/input/image/0";
        yield return "input_reshape/input/image/9";
        yield return "dropout/dropout_keep_probability";
        yield return "loss_1";
        yield return "accuracy_1";
        foreach (string layer in new[] { "layerHidden1", "layerOutput" })
        {
            yield return $"{layer}/linear_compute/linear";
            yield return $"{layer}/activations";
            foreach (string part in new[] { "weights", "biases" })
                foreach (string s in new[] { "mean_1", "stddev_1", "max_1", "min_1", "histogram" })
                    yield return $"{layer}/{part}/summaries/{s}";
        }
    }
}
