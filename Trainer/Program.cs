Console.WriteLine("TfMnist trainer: not yet implemented");
return 1;
