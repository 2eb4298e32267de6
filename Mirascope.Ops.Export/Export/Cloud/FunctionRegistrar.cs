using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using Mirascope.Ops.Tracing;
using Mirascope.Ops.Weaving;

namespace Mirascope.Ops.Export.Cloud
{
    /// <summary>
    /// Registers each <c>[Version]</c> function with the receiver the first time one of its spans ends in this
    /// process, as Python's client did: <c>GET /functions/hash/{hash}</c>, and on 404 <c>POST /functions</c> (409,
    /// "already there", is fine too). The span gives the hash; the build-time code, signature and dependencies come
    /// from the runtime's <see cref="VersionedFunctions"/>, filled by the function's descriptor. The span's end only
    /// checks a set and queues; the requests run on the <see cref="CloudRequestQueue"/>.
    /// </summary>
    internal sealed class FunctionRegistrar
    {
        // Once per process per receiver and hash, across pipelines (a rebuilt pipeline does not register again).
        // The value is 0 while a registration is queued or once it succeeded, else the Stopwatch time after which a
        // failed one may be tried again: a receiver that was down gets the function later, not on every call.
        private static readonly ConcurrentDictionary<string, long> Claims = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        private static readonly long RetryAfterFailureTicks = Stopwatch.Frequency * 60;

        private readonly CloudApiClient _api;
        private readonly CloudRequestQueue _queue;
        private readonly CloudRequestCounts _counts;
        private readonly CloudRequestDiagnostics _diagnostics;

        public FunctionRegistrar(CloudApiClient api, CloudRequestQueue queue, CloudRequestCounts counts, CloudRequestDiagnostics diagnostics)
        {
            _api = api;
            _queue = queue;
            _counts = counts;
            _diagnostics = diagnostics;
        }

        /// <summary>Called as a span ends: queues the registration of its function, if it is a versioned one not claimed yet.</summary>
        public void Offer(Activity span)
        {
            if (!ReferenceEquals(span.Source, OpsActivitySource.Source) || span.GetTagItem("mirascope.version.hash") is not string hash)
            {
                return;
            }

            var key = _api.BaseUrl + " " + hash;
            if (!Claim(key) || !VersionedFunctions.TryGet(hash, out var function))
            {
                // Claimed already, or built without source (no code to register): nothing to do, now or later.
                return;
            }

            if (_queue.TryAdd(cancellation => Register(function, key, cancellation), _counts.Registrations.AddAtShutdown))
            {
                _counts.Registrations.AddAccepted();
            }
            else
            {
                _counts.Registrations.AddQueueFull();
                Release(key);
                _diagnostics.Failed(CloudRequestDiagnostics.Registration, $"the request queue is full; '{function.Name}' is registered on a later call");
            }
        }

        private static bool Claim(string key)
        {
            if (Claims.TryAdd(key, 0))
            {
                return true;
            }

            var retryAt = Claims.TryGetValue(key, out var value) ? value : 0;
            return retryAt != 0 && Stopwatch.GetTimestamp() >= retryAt && Claims.TryUpdate(key, 0, retryAt);
        }

        private static void Release(string key) => Claims[key] = Math.Max(1, Stopwatch.GetTimestamp());

        private void Register(VersionedFunction function, string key, CancellationToken cancellation)
        {
            var found = _api.Get("functions/hash/" + Uri.EscapeDataString(function.Hash), cancellation);
            if (found.IsSuccess)
            {
                _counts.AddFunctionAlreadyKnown();
                return;
            }

            var answer = found;
            if (found.Status == 404)
            {
                answer = _api.Post("functions", CreateFunctionBody.Write(function), cancellation);
                if (answer.IsSuccess || answer.Status == 409)
                {
                    _counts.AddFunctionRegistered();
                    return;
                }
            }

            if (cancellation.IsCancellationRequested)
            {
                _counts.Registrations.AddAtShutdown();
            }
            else if (answer.IsTransient)
            {
                _counts.Registrations.AddRetriesExhausted();   // one attempt: it is tried again on a later call, a minute on
            }
            else
            {
                _counts.Registrations.AddRejected();
            }

            Claims[key] = Stopwatch.GetTimestamp() + RetryAfterFailureTicks;
            _diagnostics.Failed(CloudRequestDiagnostics.Registration, $"'{function.Name}' ({function.Hash}): {answer.Reason}{CloudRequestDiagnostics.Hint(answer.Status)}");
        }
    }
}
