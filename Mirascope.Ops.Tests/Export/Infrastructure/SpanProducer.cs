using System;
using Mirascope.Ops.Tests.Infrastructure;

namespace Mirascope.Ops.Tests.Export.Infrastructure
{
    /// <summary>Produces an exact number of spans in one trace: a root and <c>count - 1</c> woven calls under it.</summary>
    public static class SpanProducer
    {
        /// <returns>The trace id.</returns>
        public static string Produce(int count)
        {
            if (count < 1) throw new ArgumentOutOfRangeException(nameof(count));
            var woven = WovenAssembly.Get("Release");
            var calc = woven.New("Calc");
            var multiply = calc.GetType().GetMethod("Multiply")!;
            using var work = new TracedWork();
            var arguments = new object[2];
            for (var i = 0; i < count - 1; i++)
            {
                arguments[0] = i;
                arguments[1] = 2;
                multiply.Invoke(calc, arguments);
            }

            return work.TraceId;
        }
    }
}
