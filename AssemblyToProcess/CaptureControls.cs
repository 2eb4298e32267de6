using System.Threading.Tasks;
using Mirascope.Ops;

namespace AssemblyToProcess
{
    /// <summary>Methods that keep some of their values out of spans.</summary>
    public class Credentials
    {
        [Trace]
        [return: NoTrace]
        public string IssueToken(string user) => "tok-" + user;

        [Trace]
        [return: NoTrace]
        public async Task<string> IssueTokenAsync(string user)
        {
            await Task.Yield();
            return "tok-" + user;
        }

        [Trace(RecordValues = false)]
        public int Check(string password) => password.Length;
    }

    /// <summary>Every traced method of the class records no values.</summary>
    [Trace(RecordValues = false)]
    public class QuietVault
    {
        public string Open(string combination) => "opened with " + combination;

        [Trace(RecordValues = true)]
        public int Count(int items) => items;
    }
}
