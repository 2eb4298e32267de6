using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Linq;

namespace Mirascope.Ops.Benchmarks.Weaving
{
    /// <summary>
    /// With <c>MIRASCOPE_PROFILE_ALLOCATIONS=1</c>, the weaving profile's child also prints (to stderr) which types its
    /// steps allocate, from the runtime's allocation ticks (one sample per ~100 KB, so a statistical picture: the type
    /// whose allocation crossed each 100 KB mark). Enough to tell arrays from strings from enumerators without a
    /// profiler installed.
    /// </summary>
    internal sealed class AllocationTypes : EventListener
    {
        public const string Variable = "MIRASCOPE_PROFILE_ALLOCATIONS";
        private const EventKeywords GcKeyword = (EventKeywords)0x1;

        private readonly Dictionary<string, (int Samples, long Bytes)> _types = new Dictionary<string, (int, long)>();
        private bool _enabled;

        private AllocationTypes()
        {
        }

        public static AllocationTypes? StartIfAsked() =>
            Environment.GetEnvironmentVariable(Variable) == "1" ? new AllocationTypes { _enabled = true } : null;

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, GcKeyword);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs data)
        {
            if (!_enabled || data.EventName is null || !data.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || data.PayloadNames is null)
            {
                return;
            }

            var type = data.Payload![data.PayloadNames.IndexOf("TypeName")] as string ?? "?";
            var amountIndex = data.PayloadNames.IndexOf("AllocationAmount64");
            var amount = amountIndex >= 0 ? Convert.ToInt64(data.Payload[amountIndex]) : 100_000;
            lock (_types)
            {
                _types.TryGetValue(type, out var sofar);
                _types[type] = (sofar.Samples + 1, sofar.Bytes + amount);
            }
        }

        public override void Dispose()
        {
            lock (_types)
            {
                _enabled = false;
                var total = _types.Values.Sum(v => v.Bytes);
                Console.Error.WriteLine($"allocation ticks by type (~{total / 1048576.0:N1} MB sampled):");
                foreach (var (type, (samples, bytes)) in _types.OrderByDescending(p => p.Value.Bytes).Take(30))
                {
                    Console.Error.WriteLine($"  {bytes * 100.0 / total,5:N1}%  {samples,5}  {type}");
                }
            }

            base.Dispose();
        }
    }
}
