using System;

namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>
    /// One field of the body is wrong. Inside a span it rejects that span (reported in <c>partialSuccess</c>);
    /// anywhere else it makes the whole body malformed.
    /// </summary>
    internal sealed class InvalidValueException : Exception
    {
        public InvalidValueException(string path, string problem)
            : base(path + ": " + problem)
        {
            Path = path;
            Problem = problem;
        }

        public string Path { get; }

        public string Problem { get; }
    }
}
