using System;
using System.Globalization;
using System.Linq;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.ViewerLoad
{
    /// <summary>
    /// The trace ids of the fill's traces (<see cref="BulkFill"/>): 32 lower-case hex digits,
    /// <c>[12 doubling marks][8 round digits][12 digits of the seed's id]</c>.
    /// <list type="bullet">
    /// <item>A seed (stored through ingest) has <see cref="SeedPrefix"/> (twelve <c>1</c>s) then 20 random digits.</item>
    /// <item>A copy made in a first (<see cref="CloneRound"/>) round <c>r</c> has the seed's id with digits 12–19 replaced by <c>r</c> in hex.</item>
    /// <item>The copy made of a trace in doubling round <c>j</c> has the trace's id with mark <c>j</c> (digit <c>j</c>) turned from <c>1</c> into <c>a</c>.</item>
    /// </list>
    /// <para>
    /// Why <c>1</c> and <c>a</c>: the rollups are kept per shard of the trace id (<see cref="TraceRollup.ShardOf"/>, FNV-1a
    /// modulo 16). FNV-1a's step is <c>h = (h ^ c) * 16777619</c> modulo 2^32; modulo 16 that is
    /// <c>((h mod 16) ^ (c mod 16)) * 3 mod 16</c> (XOR is bitwise, and the low 4 bits of a product depend only on the low 4
    /// bits of its factors), so the shard depends only on the low 4 bits of each character. <c>'1'</c> (0x31) and <c>'a'</c>
    /// (0x61) have the same low 4 bits, so a doubling copy has its original's shard, and the shard-keyed rollup rows of the
    /// copies are those of their originals (<see cref="FillRollups"/>). <see cref="CheckSameShard"/> checks it at run time.
    /// </para>
    /// </summary>
    internal static class FillTraceIds
    {
        /// <summary>Doubling rounds a fill can make (one mark digit each): 2^12 copies of each first-round trace at most.</summary>
        public const int Marks = 12;

        public const char Unmarked = '1';
        public const char Marked = 'a';

        /// <summary>The first digits of every seed's trace id: no mark set.</summary>
        public static readonly string SeedPrefix = new(Unmarked, Marks);

        private const int RoundDigits = 8;

        /// <summary>The id of seed <paramref name="seedTraceId"/>'s copy in first round <paramref name="round"/> (0: the seed itself).</summary>
        public static string FirstRound(string seedTraceId, int round) => round == 0
            ? seedTraceId
            : seedTraceId.Substring(0, Marks) + round.ToString("x8", CultureInfo.InvariantCulture) + seedTraceId.Substring(Marks + RoundDigits);

        /// <summary>The trace id with the marks <paramref name="marks"/> (<see cref="Marks"/> characters) in place of its own.</summary>
        public static string WithMarks(string traceId, string marks) => marks + traceId.Substring(Marks);

        /// <summary>The marks with mark <paramref name="round"/> set.</summary>
        public static string Mark(string marks, int round) => marks.Substring(0, round) + Marked + marks.Substring(round + 1);

        /// <summary>Every mark pattern of <paramref name="length"/> characters (the chunks' prefixes), in ordinal order.</summary>
        public static string[] Prefixes(int length) => Enumerable.Range(0, 1 << length)
            .Select(bits => new string(Enumerable.Range(0, length).Select(i => ((bits >> (length - 1 - i)) & 1) == 0 ? Unmarked : Marked).ToArray()))
            .ToArray();

        /// <summary>Fails the fill if a copy's shard is not its original's (the argument above made wrong by a change of <see cref="TraceRollup.ShardOf"/>).</summary>
        public static void CheckSameShard(string original, string copy)
        {
            if (TraceRollup.ShardOf(original) != TraceRollup.ShardOf(copy))
            {
                throw new InvalidOperationException($"the copy {copy} of trace {original} is in another rollup shard: the fill's rollup copy would be wrong");
            }
        }
    }
}
