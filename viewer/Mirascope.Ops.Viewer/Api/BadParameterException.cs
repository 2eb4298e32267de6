using System;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>A query parameter of the read API is wrong; the message names it and says why (answered with 400).</summary>
    internal sealed class BadParameterException : Exception
    {
        public BadParameterException(string parameter, string problem)
            : base(parameter + " " + problem)
        {
            Parameter = parameter;
            Problem = problem;
        }

        public string Parameter { get; }

        /// <summary>What is wrong with it, without its name.</summary>
        public string Problem { get; }
    }
}
