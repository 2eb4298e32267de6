using System;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class NoListenerCollection
    {
        public const string Name = "Without any listener";
    }

    /// <summary>When nobody listens to Mirascope.Ops a woven method costs one check: no span, no allocation.</summary>
    [Collection(NoListenerCollection.Name)]
    public class NoListenerTests
    {
        [Theory]
        [InlineData("Debug")]
        [InlineData("Release")]
        public void Woven_methods_allocate_nothing_when_nobody_listens(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var calc = woven.New("Calc");
            var multiply = (Func<int, int, int>)Delegate.CreateDelegate(typeof(Func<int, int, int>), calc, "Multiply");
            var analyze = (Func<string, string>)Delegate.CreateDelegate(typeof(Func<string, string>), calc, "Analyze");
            Assert.False(OpsActivitySource.Source.HasListeners(), "a test left a listener on Mirascope.Ops alive");
            multiply(1, 2);
            analyze("warm up");

            var before = GC.GetAllocatedBytesForCurrentThread();
            var sum = 0;
            for (var i = 0; i < 10_000; i++)
            {
                sum += multiply(i, 3);
                sum += analyze("good").Length;
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
            Assert.NotEqual(0, sum);
        }
    }
}
