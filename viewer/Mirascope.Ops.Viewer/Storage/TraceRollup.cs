using System;
using System.Collections.Generic;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// What one trace's stored spans add to the rollup tables (<see cref="Rollups"/>), computed from all of them at once, so
    /// the figures follow the same rules as a query over the spans: a span's calls, errors and duration count for its
    /// <c>version_hash</c>; token counts count for every hash whose call the span is (or is below, through parent links),
    /// only when <c>counted_by</c> is empty (<see cref="RepeatedCalls"/>). Every row is keyed by the trace's environment
    /// and a shard of its id (so concurrent writers on PostgreSQL rarely update the same row).
    /// </summary>
    internal sealed class TraceRollup
    {
        /// <summary>Rows of the rollup tables by table, then by key text (see <see cref="Rollups.Tables"/>): the key's values and the summed values.</summary>
        public Dictionary<string, (object[] Key, long[] Values)>[] Rows { get; } =
            {
                new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal),
                new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal),
            };

        /// <summary>One stored span, as the rollups read it.</summary>
        internal readonly record struct Span(
            string SpanId, string? ParentSpanId, long StartNs, long EndNs, bool IsError, int UsageSource, string? Provider, string? Model,
            long? InputTokens, long? OutputTokens, long? CacheReadTokens, long? CacheWriteTokens, string? CountedBy, string? VersionHash, string Name);

        /// <summary>Shards of the rows: a trace's rows always go to the same one.</summary>
        public const int Shards = 16;

        public static int ShardOf(string traceId)
        {
            uint hash = 2166136261;
            foreach (var c in traceId)
            {
                hash = (hash ^ c) * 16777619;
            }

            return (int)(hash % Shards);
        }

        public static TraceRollup Of(string traceId, string environmentId, IReadOnlyList<Span> spans)
        {
            var rollup = new TraceRollup();
            if (spans.Count == 0)
            {
                return rollup;
            }

            var shard = ShardOf(traceId);
            rollup.AddEnvironmentCount(traceId, environmentId, spans.Count);
            var children = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < spans.Count; i++)
            {
                if (spans[i].ParentSpanId is { } parent)
                {
                    if (!children.TryGetValue(parent, out var list))
                    {
                        list = new List<int>();
                        children[parent] = list;
                    }

                    list.Add(i);
                }
            }

            // The dashboard's rows: every span in its time bucket at each level (TimeBuckets), the trace in the buckets of its first span.
            var hasModelCalls = false;
            long firstStart = long.MaxValue, lastStart = long.MinValue;
            foreach (var span in spans)
            {
                hasModelCalls |= span.UsageSource == (int)Storage.UsageSource.GenAi;
                firstStart = Math.Min(firstStart, span.StartNs);
                lastStart = Math.Max(lastStart, span.StartNs);
            }

            for (var level = 0; level < TimeBuckets.Widths.Length; level++)
            {
                rollup.Add(Rollups.SpanBuckets, new object[] { level, TimeBuckets.Start(firstStart, level), environmentId }, 0, 0, 0, 0, 1);
                foreach (var span in spans)
                {
                    var bucket = TimeBuckets.Start(span.StartNs, level);
                    var duration = span.EndNs - span.StartNs;
                    // The sum of durations in two parts that cannot overflow (a hostile span may say it lasted 2^62 ns): duration = high * 2^32 + low.
                    rollup.Add(Rollups.SpanBuckets, new object[] { level, bucket, environmentId }, 1, span.IsError ? 1 : 0, duration >> 32, duration & 0xFFFFFFFFL, 0);
                    rollup.Add(Rollups.SpanBucketDurations, new object[] { level, bucket, environmentId, DurationBuckets.Of(duration) }, 1);
                    if (span.CountedBy is null && (span.UsageSource > 0 || span.Model is not null))
                    {
                        rollup.Add(Rollups.SpanBucketUsage, new object[] { level, bucket, environmentId, span.UsageSource, span.Provider ?? string.Empty, span.Model ?? string.Empty, hasModelCalls ? 1 : 0 },
                            1, span.InputTokens ?? 0, span.OutputTokens ?? 0, span.CacheReadTokens ?? 0, span.CacheWriteTokens ?? 0);
                    }

                    if (span.VersionHash is { } versionHash)
                    {
                        rollup.Add(Rollups.SpanBucketFunctions, new object[] { level, bucket, environmentId, versionHash, span.Name }, 1);
                    }
                }
            }

            rollup.Add(Rollups.TraceLengths, new object[] { environmentId, 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(lastStart - firstStart)) }, 1);

            var belowByHash = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
            for (var i = 0; i < spans.Count; i++)
            {
                var span = spans[i];
                if (span.VersionHash is not { } hash)
                {
                    continue;
                }

                rollup.Add(Rollups.FunctionCalls, new object[] { environmentId, shard, hash, span.Name }, 1, span.IsError ? 1 : 0);
                rollup.Add(Rollups.FunctionDurations, new object[] { environmentId, shard, hash, DurationBuckets.Of(span.EndNs - span.StartNs) }, 1);
                if (!belowByHash.TryGetValue(hash, out var below))
                {
                    below = new HashSet<int>();
                    belowByHash[hash] = below;
                }

                // The call and everything below it (a span under two calls of the hash counts once; a loop of parent links ends).
                var pending = new Stack<int>();
                pending.Push(i);
                while (pending.Count > 0)
                {
                    var at = pending.Pop();
                    if (!below.Add(at))
                    {
                        continue;
                    }

                    if (children.TryGetValue(spans[at].SpanId, out var under))
                    {
                        foreach (var child in under)
                        {
                            pending.Push(child);
                        }
                    }
                }
            }

            foreach (var (hash, below) in belowByHash)
            {
                foreach (var at in below)
                {
                    var span = spans[at];
                    if (span.UsageSource > 0 && span.CountedBy is null)
                    {
                        rollup.Add(Rollups.FunctionUsage, new object[] { environmentId, shard, hash, span.UsageSource, span.Provider ?? string.Empty, span.Model ?? string.Empty },
                            1, span.InputTokens ?? 0, span.OutputTokens ?? 0, span.CacheReadTokens ?? 0, span.CacheWriteTokens ?? 0);
                    }
                }
            }

            return rollup;
        }

        /// <summary>The trace's row of <c>environment_counts</c>: one trace of <paramref name="spanCount"/> spans in its environment.</summary>
        public void AddEnvironmentCount(string traceId, string environmentId, long spanCount) =>
            Add(Rollups.EnvironmentCounts, new object[] { environmentId, ShardOf(traceId) }, 1, spanCount);

        /// <summary>This rollup's rows less <paramref name="before"/>'s: what to add to the tables when the trace went from that to this.</summary>
        public TraceRollup Minus(TraceRollup before)
        {
            var delta = new TraceRollup();
            for (var t = 0; t < Rows.Length; t++)
            {
                foreach (var (text, row) in Rows[t])
                {
                    delta.Rows[t][text] = (row.Key, (long[])row.Values.Clone());
                }

                foreach (var (text, row) in before.Rows[t])
                {
                    delta.AddTo(t, text, row.Key, row.Values, -1);
                }
            }

            return delta;
        }

        /// <summary>Adds another trace's rows (several traces' deltas are applied in one pass).</summary>
        public void Merge(TraceRollup other)
        {
            for (var t = 0; t < Rows.Length; t++)
            {
                foreach (var (text, row) in other.Rows[t])
                {
                    AddTo(t, text, row.Key, row.Values, 1);
                }
            }
        }

        private void Add(int table, object[] key, params long[] values)
        {
            // Each part length-prefixed, so no two keys (names are client text) share a text.
            var text = new System.Text.StringBuilder();
            foreach (var part in key)
            {
                var value = Convert.ToString(part, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                text.Append(value.Length).Append(':').Append(value);
            }

            AddTo(table, text.ToString(), key, values, 1);
        }

        private void AddTo(int table, string text, object[] key, long[] values, int sign)
        {
            if (!Rows[table].TryGetValue(text, out var row))
            {
                row = (key, new long[values.Length]);
                Rows[table][text] = row;
            }

            for (var i = 0; i < values.Length; i++)
            {
                row.Values[i] += sign * values[i];
            }
        }
    }
}
