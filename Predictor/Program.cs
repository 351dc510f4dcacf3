Console.WriteLine("TfMnist predictor: not yet implemented");
return 1;
