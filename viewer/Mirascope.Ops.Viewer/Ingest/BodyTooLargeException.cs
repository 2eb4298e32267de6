using System;

namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>The request body is over the limit (answered with 413).</summary>
    internal sealed class BodyTooLargeException : Exception
    {
        public BodyTooLargeException(string message)
            : base(message)
        {
        }
    }
}
