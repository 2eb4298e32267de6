using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace Mirascope.Ops.Viewer.Storage.Retention
{
    /// <summary>
    /// One pass of retention over every project (<see cref="RetentionPolicies.All"/>), each by its own limits: first the
    /// project's traces older than its age limit, then its oldest traces until the rest fit in its size limit. One project's
    /// traffic therefore only ever deletes that project's traces. Deletion goes in batches of <see cref="BatchSize"/> traces,
    /// each its own short write transaction (<see cref="TraceDeletion"/>), with <see cref="Pause"/> between them: a writer
    /// (ingest) waits for one batch at most, never for the whole deletion.
    /// </summary>
    internal sealed class RetentionRun
    {
        private readonly TraceStore _store;
        private readonly RetentionPolicies _policies;

        public RetentionRun(TraceStore store, RetentionPolicies policies)
        {
            _store = store;
            _policies = policies;
        }

        /// <summary>Most traces deleted by one transaction.</summary>
        public int BatchSize { get; init; } = 200;

        /// <summary>The wait after each batch, in which writers waiting for the lock get it.</summary>
        public TimeSpan Pause { get; init; } = TimeSpan.FromMilliseconds(20);

        /// <summary>Called after each batch with how long its transaction took (for the tests and the log).</summary>
        public Action<int, TimeSpan>? BatchDeleted { get; init; }

        /// <summary>
        /// Runs retention once, if no other viewer on the store is (<see cref="RetentionLease"/>). Returns the traces deleted,
        /// or null when another viewer holds the lease.
        /// </summary>
        public int? RunOnce(DateTimeOffset now, CancellationToken cancellation = default)
        {
            using var lease = RetentionLease.TryTake(_store.Engine);
            if (lease is null)
            {
                return null;
            }

            var deleted = 0;
            foreach (var (projectId, policy) in _policies.All())
            {
                if (policy.MaxAge is { } age)
                {
                    deleted += DeleteOlder(projectId, (now - age).ToUnixTimeMilliseconds(), cancellation);
                }

                if (policy.MaxBytes is { } bytes)
                {
                    deleted += DeleteBeyondSize(projectId, bytes, cancellation);
                }
            }

            return deleted;
        }

        private int DeleteOlder(string projectId, long cutoffMs, CancellationToken cancellation)
        {
            var deleted = 0;
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                var batch = Oldest(projectId, SqlText.Of($"AND t.received_ms < @cutoff"), cutoffMs);
                if (batch.Count == 0)
                {
                    return deleted;
                }

                var count = DeleteBatch(batch, cancellation).Count;
                deleted += count;
                if (count == 0 || batch.Count < BatchSize)
                {
                    return deleted;   // the rest changed under us (spans arrived) or there is no more: the next run looks again
                }
            }
        }

        /// <summary>
        /// Deletes the project's oldest traces until what was over <paramref name="maxBytes"/> when it started is gone. The
        /// project is summed once, then each batch takes off the sizes of the traces it deleted: a deleted trace is exactly as
        /// it was measured when chosen (<see cref="TraceDeletion"/> keeps one that changed since), so the figure stays true
        /// without summing every trace of the project again per batch. Spans that arrive meanwhile are the next run's, which
        /// also bounds a run while ingest goes on.
        /// </summary>
        private int DeleteBeyondSize(string projectId, long maxBytes, CancellationToken cancellation)
        {
            var excess = RetentionUsage.Of(_store, projectId).Bytes - maxBytes;
            var deleted = 0;
            while (excess > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                var batch = new List<(string EnvironmentId, string TraceId, long ReceivedMs, long Size)>();
                var left = excess;
                foreach (var trace in Oldest(projectId, SqlText.Empty, 0))
                {
                    batch.Add(trace);
                    left -= trace.Size;
                    if (left <= 0)
                    {
                        break;
                    }
                }

                var gone = DeleteBatch(batch, cancellation);
                if (gone.Count == 0)
                {
                    return deleted;
                }

                deleted += gone.Count;
                var goneKeys = new HashSet<(string, string)>(gone);
                foreach (var trace in batch)
                {
                    if (goneKeys.Contains((trace.EnvironmentId, trace.TraceId)))
                    {
                        excess -= trace.Size;
                    }
                }
            }

            return deleted;
        }

        private IReadOnlyList<(string EnvironmentId, string TraceId)> DeleteBatch(List<(string EnvironmentId, string TraceId, long ReceivedMs, long Size)> batch, CancellationToken cancellation)
        {
            var clock = Stopwatch.StartNew();
            var deleted = TraceDeletion.Delete(_store, batch.ConvertAll(t => (t.EnvironmentId, t.TraceId, (long?)t.ReceivedMs)));
            BatchDeleted?.Invoke(deleted.Count, clock.Elapsed);
            cancellation.WaitHandle.WaitOne(Pause);
            return deleted;
        }

        /// <summary>The project's oldest traces (newest span first to arrive), at most <see cref="BatchSize"/>, meeting <paramref name="and"/>.</summary>
        private List<(string EnvironmentId, string TraceId, long ReceivedMs, long Size)> Oldest(string projectId, SqlText and, long cutoffMs)
        {
            using var connection = _store.Open();
            // Each trace by its key (environment, trace id): two environments of the project may hold the same trace id.
            using var command = SqlCommands.Create(connection, SqlText.Of($@"SELECT t.environment_id, t.trace_id, t.received_ms, t.size_bytes FROM traces t
                WHERE {InProject(projectId)} {and} ORDER BY t.received_ms, t.trace_id LIMIT @limit"));
            command.Bind("@project", projectId).Bind("@limit", BatchSize);
            if (!and.IsEmpty)
            {
                command.Bind("@cutoff", cutoffMs);
            }

            var traces = new List<(string, string, long, long)>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                traces.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
            }

            return traces;
        }

        /// <summary>Traces <c>t</c> of the project <c>@project</c>: those of its environments, or, for the implicit project, of the implicit environment.</summary>
        internal static SqlText InProject(string projectId) => projectId == TraceEnvironments.Implicit
            ? SqlText.Of($"t.environment_id = @project")
            : SqlText.Of($"t.environment_id IN (SELECT e.id FROM environments e WHERE e.project_id = @project)");
    }
}
