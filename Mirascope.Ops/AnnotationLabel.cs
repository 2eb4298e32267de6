namespace Mirascope.Ops
{
    /// <summary>The verdict of an annotation, as Mirascope Cloud's annotations API takes it (<c>"pass"</c> or <c>"fail"</c>).</summary>
    public enum AnnotationLabel
    {
        /// <summary>The span's result was right (<c>"pass"</c>).</summary>
        Pass = 0,

        /// <summary>The span's result was wrong (<c>"fail"</c>).</summary>
        Fail = 1,
    }
}
