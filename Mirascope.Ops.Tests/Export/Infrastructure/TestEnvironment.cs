using System;
using System.Collections.Generic;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>A stand-in for the process environment: tests run in parallel, so none of them may set real variables.</summary>
    public static class TestEnvironment
    {
        public static Func<string, string?> Empty { get; } = _ => null;

        public static Func<string, string?> With(params (string Name, string Value)[] variables)
        {
            var values = new Dictionary<string, string>();
            foreach (var (name, value) in variables)
            {
                values[name] = value;
            }

            return name => values.TryGetValue(name, out var value) ? value : null;
        }
    }
}
