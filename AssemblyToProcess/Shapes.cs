using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Mirascope.Ops;

namespace AssemblyToProcess
{
    public interface IShape
    {
        int Area();

        [Trace]
        int Doubled() => Area() * 2;
    }

    public class Square : IShape
    {
        [Trace]
        public Square(int side) : base()
        {
            Side = side;
        }

        [Trace]
        public Square(string side) : this(int.Parse(side))
        {
        }

        public int Side { get; }

        [Trace]
        public virtual int Area() => Side * Side;

        [Trace]
        int IShape.Area() => Area();

        [Trace]
        public static Square Parse(string text) => new Square(int.Parse(text));
    }

    public class BigSquare : Square
    {
        public BigSquare(int side) : base(side * 10) { }

        [Trace]
        public override int Area() => base.Area() + 1;
    }

    public struct Point
    {
        public int X;
        public int Y;

        [Trace]
        public int Sum() => X + Y;

        [Trace]
        public void Move(int dx) { X += dx; }

        [Trace]
        public async Task<int> SumLaterAsync() { await Task.Yield(); return X + Y; }
    }

    public readonly struct Money
    {
        public Money(decimal amount) { Amount = amount; }

        public decimal Amount { get; }

        [Trace]
        public Money Add(Money other) => new Money(Amount + other.Amount);
    }

    public record Person(string Name, int Age)
    {
        [Trace]
        public string Greet(string greeting) => $"{greeting}, {Name}";
    }

    public static class Extensions
    {
        [Trace]
        public static string Shout(this string text) => text.ToUpperInvariant() + "!";
    }

    public class Container<T>
        where T : notnull
    {
        private readonly List<T> _items = new();

        [Trace]
        public int Add(T item) { _items.Add(item); return _items.Count; }

        [Trace]
        public TOut Map<TOut>(Func<T, TOut> map) => map(_items[0]);

        [Trace]
        public async Task<T> FirstAsync() { await Task.Yield(); return _items[0]; }

        public class Nested<TKey>
            where TKey : IComparable<TKey>
        {
            [Trace]
            public int Compare(TKey a, TKey b, T context) => a.CompareTo(b);
        }
    }

    public class ParameterShapes
    {
        [Trace]
        public int Refs(ref int counter, out string text, in int step, int optional = 5, params int[] rest)
        {
            counter += step;
            text = "set";
            return counter + optional + rest.Length;
        }

        private int _stored = 7;

        [Trace]
        public ref int StoredRef() => ref _stored;

        [Trace]
        public unsafe int Deref(int* pointer) => *pointer;

        [Trace]
        public int SpanSum(Span<int> values) { var sum = 0; foreach (var v in values) sum += v; return sum; }

        [Trace]
        public int Text(ReadOnlySpan<char> text) => text.Length;

        [Trace]
        public Span<int> Slice(int[] values) => values.AsSpan(1);

        [Trace]
        public int Stackalloc(int n)
        {
            Span<int> buffer = stackalloc int[n];
            for (var i = 0; i < n; i++) buffer[i] = i;
            var total = 0;
            foreach (var v in buffer) total += v;
            return total;
        }
    }

    public class BodyShapes
    {
        [Trace]
        public string Switch(object value) => value switch
        {
            int i when i > 10 => "big",
            int => "int",
            string s => "text:" + s,
            _ => "other",
        };

        [Trace]
        public int Using(string text)
        {
            using var reader = new StringReader(text);
            using var second = new StringReader(text);
            return reader.ReadToEnd().Length + second.ReadToEnd().Length;
        }

        [Trace]
        public int TryCatchFinally(int x, List<string> log)
        {
            try
            {
                if (x == 0) throw new DivideByZeroException();
                return 10 / x;
            }
            catch (DivideByZeroException) when (log.Count >= 0)
            {
                log.Add("caught");
                return -1;
            }
            finally
            {
                log.Add("finally");
            }
        }

        [Trace]
        public int ThrowAsLast(int x)
        {
            if (x > 0) return x;
            throw new ArgumentOutOfRangeException(nameof(x));
        }

        [Trace]
        public int LoopWithoutExit(int stopAt)
        {
            var i = 0;
            while (true)
            {
                if (++i == stopAt) return i;
            }
        }

        [Trace]
        public int LocalAndLambda(int x)
        {
            [Trace]
            int Twice(int y) => y * 2;

            var add = [Trace] (int a) => a + 1;
            return Twice(x) + add(x);
        }
    }

    public class Iterators
    {
        public static readonly List<string> Log = new();

        [Trace]
        public IEnumerable<int> Count(int n)
        {
            for (var i = 0; i < n; i++)
            {
                Log.Add("yield " + i + " current=" + System.Diagnostics.Activity.Current?.DisplayName);
                yield return i;
            }
        }

        [Trace]
        public IEnumerator<string> Words(string sentence)
        {
            foreach (var word in sentence.Split(' ')) yield return word;
        }

        [Trace]
        public IEnumerable<int> Guarded(int n)
        {
            try
            {
                for (var i = 0; i < n; i++) yield return i;
            }
            finally
            {
                Log.Add("finally current=" + System.Diagnostics.Activity.Current?.DisplayName);
            }
        }

        [Trace]
        public IEnumerable<int> Failing(int after)
        {
            for (var i = 0; ; i++)
            {
                if (i == after) throw new InvalidOperationException("failed after " + after);
                yield return i;
            }
        }

        [Trace]
        public IEnumerable<T> Repeat<T>(T value, int times, string unused)
        {
            for (var i = 0; i < times; i++) yield return value;
        }

        [Trace]
        public async IAsyncEnumerable<int> CountAsync(int n, [EnumeratorCancellation] CancellationToken token = default)
        {
            for (var i = 0; i < n; i++)
            {
                await Task.Yield();
                Log.Add("async yield " + i + " current=" + System.Diagnostics.Activity.Current?.DisplayName);
                yield return i;
            }
        }

        [Trace]
        public async IAsyncEnumerable<int> FailingAsync(int after)
        {
            for (var i = 0; ; i++)
            {
                await Task.Yield();
                if (i == after) throw new InvalidOperationException("async failed after " + after);
                yield return i;
            }
        }

        [Trace]
        public async IAsyncEnumerable<int> GuardedAsync(int n)
        {
            try
            {
                for (var i = 0; i < n; i++)
                {
                    await Task.Delay(1);
                    yield return i;
                }
            }
            finally
            {
                await Task.Yield();
                Log.Add("async finally");
            }
        }
    }

    public class AsyncShapes
    {
        [Trace]
        public async Task<int> AwaitInTryCatchFinally(int x, List<string> log)
        {
            try
            {
                await Task.Yield();
                if (x == 0) throw new InvalidOperationException("zero");
                return x;
            }
            catch (InvalidOperationException)
            {
                await Task.Delay(1);
                log.Add("caught");
                return -1;
            }
            finally
            {
                await Task.Yield();
                log.Add("finally");
            }
        }

        [Trace]
        public async Task<int> Loop(int n)
        {
            var total = 0;
            for (var i = 0; i < n; i++)
            {
                await Task.Delay(1).ConfigureAwait(false);
                total += i;
            }

            return total;
        }

        [Trace]
        public async Task<string> CustomAwaitable() => await new ReadyAwaitable("custom");

        public readonly struct ReadyAwaitable
        {
            private readonly string _value;

            public ReadyAwaitable(string value) { _value = value; }

            public Awaiter GetAwaiter() => new Awaiter(_value);

            public readonly struct Awaiter : INotifyCompletion
            {
                private readonly string _value;

                public Awaiter(string value) { _value = value; }

                public bool IsCompleted => true;

                public string GetResult() => _value;

                public void OnCompleted(Action continuation) => continuation();
            }
        }
    }
}
