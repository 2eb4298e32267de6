using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Mirascope.Ops;

namespace AssemblyToProcess
{
    public sealed class BookNotFoundException : Exception
    {
        public BookNotFoundException(string message) : base(message) { }
    }

    public class Errors
    {
        public static Exception? LastThrown;

        [Trace]
        public int Throws(int x)
        {
            LastThrown = new BookNotFoundException("no book " + x);
            throw LastThrown;
        }

        [Trace]
        [MethodImpl(MethodImplOptions.NoInlining)]
        public void ThrowsFromDeep() => Deep();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Deep() => throw new InvalidOperationException("deep");

        [Trace]
        public int CatchesItsOwn()
        {
            try
            {
                throw new InvalidOperationException("handled inside");
            }
            catch (InvalidOperationException)
            {
                return 1;
            }
        }

        [Trace]
        public int FilterThenFinally(int x, System.Collections.Generic.List<string> log)
        {
            try
            {
                try
                {
                    throw new ArgumentException("arg " + x);
                }
                finally
                {
                    log.Add("finally");
                }
            }
            catch (ArgumentException e) when (e.Message.EndsWith("1"))
            {
                return 1;
            }
        }

        [Trace]
        public async Task<int> ThrowsAsync(int x)
        {
            await Task.Yield();
            LastThrown = new BookNotFoundException("async no book " + x);
            throw LastThrown;
        }

        [Trace]
        public async Task ThrowsBeforeAwait()
        {
            LastThrown = new InvalidOperationException("sync part");
            throw LastThrown;
        }

        [Trace]
        public async Task Cancelled(System.Threading.CancellationToken token)
        {
            await Task.Delay(5000, token);
        }
    }
}
