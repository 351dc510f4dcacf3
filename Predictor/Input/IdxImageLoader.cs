using TfMnist.Data;

namespace TfMnist.Predictor.Input;

/// <summary>One MNIST image out of an IDX images file (gz or raw), by index, read with the shared <see cref="IdxReader"/>.</summary>
public static class IdxImageLoader
{
    /// <exception cref="InputFileException">Unreadable file, not IDX images, not 28x28, or index out of range.</exception>
    public static float[] Load(string path, int index)
    {
        if (Directory.Exists(path))
            throw new InputFileException(path, "is a directory, not a file");
        try
        {
            // Reads only up to the image: the header's count is not capped here, nothing is sized by it.
            using var images = IdxReader.OpenImages(path, maxImages: int.MaxValue);
            if (index < 0 || index >= images.Count)
                throw new InputFileException(path, $"image index {index} is out of range (the file has {images.Count} images, 0..{images.Count - 1})");
            images.Skip(index);
            var pixels = new byte[images.PixelsPerImage];
            images.Read(pixels, 1);
            return IdxReader.ToFloats(pixels);
        }
        catch (MnistDataException e)
        {
            throw InputFileException.From(path, e);
        }
    }
}
