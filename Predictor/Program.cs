using TfMnist.Predictor;
using TfMnist.Predictor.Cli;

// The classifier comes from ClassifierFactory.Create: the one seam where the real model plugs in.
var cli = new PredictorCli(ClassifierFactory.Create, Console.Out, Console.Error);
return await cli.RunAsync(args);
