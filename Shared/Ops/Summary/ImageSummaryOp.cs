using TfMnist.Core;
using TfMnist.Framework;
using TfMnist.Summary;

namespace TfMnist.Ops;

/// <summary>ImageSummary: PNGs of the first max_images images of a [N,H,W,C] batch (tf.summary.image).</summary>
public sealed class ImageSummaryOp : OpDefinition
{
    public override string Type => "ImageSummary";
    public override bool IsNotDifferentiable => true;
    public override OutputSpec[] InferOutputs(Operation op) => [new(DType.String, Shape.Scalar)];

    public override void Compute(KernelContext ctx)
    {
        string tag = System.Text.Encoding.UTF8.GetString(ctx.Input(0).Strings[0]);
        var images = ctx.Input(1);
        if (images.Rank != 4 || images.DType != DType.Float)
            throw new InvalidArgumentException($"'{ctx.Op.Name}' needs a float32 [batch, height, width, channels] tensor, got {images}.");
        int maxImages = (int)ctx.Op.Attrs.GetInt("max_images");
        var summary = new Proto.Summary();
        summary.Value.AddRange(ImageSummary.Build(tag, images.Floats, images.Shape[0], images.Shape[1], images.Shape[2], images.Shape[3], maxImages));
        SummaryOutput.Write(ctx, summary);
    }

    /// <summary>The first max_images images of the batch, when the static shape gives an image's size.</summary>
    public override long? LeadingElementsRead(Operation op, int input, Func<Tensor, long?> outputDemand)
    {
        var shape = op.Inputs[1].Shape;
        if (input != 1 || shape.Rank != 4 || shape[1] < 0 || shape[2] < 0 || shape[3] < 0) return null;
        return op.Attrs.GetInt("max_images") * shape[1] * shape[2] * shape[3];
    }

    public static Tensor Create(string name, Tensor images, int maxOutputs = 3) =>
        SummaryScope.Build("ImageSummary", name, "tag", images, (_, _) =>
        [
            ("max_images", Attr.Int(maxOutputs)),
            ("bad_color", Attr.Tensor(new NDArray(DType.UInt8, [4], new byte[] { 255, 0, 0, 255 }))),
        ]);
}
