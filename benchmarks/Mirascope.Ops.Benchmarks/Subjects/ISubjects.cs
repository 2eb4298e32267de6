using System.Threading.Tasks;

namespace Mirascope.Ops.Benchmarks.Subjects
{
    /// <summary>The methods every variant implements: plain, woven, hand-written and the peers.</summary>
    public interface ISubjects
    {
        void NoArgs();

        int TwoInts(int a, int b);

        string StringAndObject(string name, Item item);

        Task<int> CompletedAsync(int a, int b);

        Task<int> YieldingAsync(int a, int b);
    }
}
