global using Xunit;
global using TfMnist.Testing;
