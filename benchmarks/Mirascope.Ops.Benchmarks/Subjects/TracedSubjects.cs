using System.Threading.Tasks;

namespace Mirascope.Ops.Benchmarks.Subjects
{
    /// <summary>The same methods marked [Trace]: this assembly is woven by the in-solution Mirascope.Ops weaver.</summary>
    public class TracedSubjects : ISubjects
    {
        private static readonly Task CompletedTask = Task.CompletedTask;

        [Trace]
        public void NoArgs()
        {
        }

        [Trace]
        public int TwoInts(int a, int b) => a + b;

        [Trace]
        public string StringAndObject(string name, Item item) => name.Length >= item.Name.Length ? name : item.Name;

        [Trace]
        public async Task<int> CompletedAsync(int a, int b)
        {
            await CompletedTask;
            return a + b;
        }

        [Trace]
        public async Task<int> YieldingAsync(int a, int b)
        {
            await Task.Yield();
            return a + b;
        }
    }
}
