namespace TfMnist.Checkpoint;

/// <summary>The file names TensorFlow derives from a checkpoint prefix (single shard only).</summary>
public static class BundleFiles
{
    public static string IndexPath(string prefix) => prefix + ".index";

    public static string DataPath(string prefix) => prefix + ".data-00000-of-00001";
}
