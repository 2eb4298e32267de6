using System.Threading.Tasks;

namespace Mirascope.Ops.Benchmarks.Subjects
{
    /// <summary>The methods as a user writes them, not traced. Also the target the Castle proxy forwards to.</summary>
    public class PlainSubjects : ISubjects
    {
        private static readonly Task CompletedTask = Task.CompletedTask;

        public void NoArgs()
        {
        }

        public int TwoInts(int a, int b) => a + b;

        public string StringAndObject(string name, Item item) => name.Length >= item.Name.Length ? name : item.Name;

        public async Task<int> CompletedAsync(int a, int b)
        {
            await CompletedTask;
            return a + b;
        }

        public async Task<int> YieldingAsync(int a, int b)
        {
            await Task.Yield();
            return a + b;
        }
    }
}
