using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Export
{
    /// <summary>
    /// An app whose OpenTelemetry is newer than the OTLP exporter it gets (NuGet raises the SDK an app references, not
    /// the exporter our package brings) cannot build the exporter outside the SDK's registration. OTLP must still work,
    /// on the documented protocol, and say that it is not counted — never fail Configure.
    /// </summary>
    public class OtlpVersionMismatchTests
    {
        private const string Program = """
            using System;
            using Mirascope.Ops;

            public static class Program
            {
                public static int Main()
                {
                    OpsExport.Configure();
                    for (var i = 0; i < 10; i++)
                    {
                        using (MirascopeOps.Span("mismatched-exporter", new { i }))
                        {
                        }
                    }

                    OpsExport.Shutdown();
                    Console.Out.WriteLine("counted destinations: " + OpsExport.Statistics.Destinations.Count);
                    return 0;
                }
            }
            """;

        [Fact]
        public async Task An_OTLP_exporter_older_than_the_SDK_still_sends_http_protobuf_and_says_it_is_not_counted()
        {
            var program = ChildProgram.Build("OtlpMismatch", Program);
            // The exporter the package depends on (1.15.3), beside the SDK the tests run (1.20.1): what such an app loads.
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } root
                ? root
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var older = Path.Combine(packages, "opentelemetry.exporter.opentelemetryprotocol", "1.15.3", "lib", "net10.0", "OpenTelemetry.Exporter.OpenTelemetryProtocol.dll");
            Assert.True(File.Exists(older), older);
            File.Copy(older, Path.Combine(Path.GetDirectoryName(program.Dll)!, Path.GetFileName(older)), overwrite: true);

            await using var receiver = await TraceReceiver.StartAsync();
            using var child = program.Start(new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.OtlpEndpoint.ToString() });
            var exit = await child.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.True(exit == 0, child.Stderr);
            Assert.Equal(10, receiver.Spans.Count(s => s.Name == "mismatched-exporter" && s.Protocol == "otlp-protobuf"));
            var line = Assert.Single(child.Stderr.Split('\n'), l => l.Contains("works but is not counted", StringComparison.Ordinal));
            Assert.Contains($"OTLP export to {receiver.OtlpEndpoint}v1/traces (http/protobuf)", line);
            Assert.Contains("Reference OpenTelemetry.Exporter.OpenTelemetryProtocol at the version of OpenTelemetry", line);
            Assert.Contains("counted destinations: 0", child.Output);
        }
    }
}
