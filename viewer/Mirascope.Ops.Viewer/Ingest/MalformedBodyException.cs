using System;

namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>The request body as a whole cannot be read; the message says where and what is wrong (answered with 400).</summary>
    internal sealed class MalformedBodyException : Exception
    {
        public MalformedBodyException(string message)
            : base(message)
        {
        }

        public MalformedBodyException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }
}
