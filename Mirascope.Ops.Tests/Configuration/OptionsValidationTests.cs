using System;
using System.Collections.Generic;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Tests.Export.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Configuration
{
    public class OptionsValidationTests
    {
        private const string Key = "mk_secret_validation_0123456789";

        public static IEnumerable<object[]> InvalidSettings => new[]
        {
            Case("malformed MIRASCOPE_BASE_URL", o => { }, "MIRASCOPE_BASE_URL 'not a url' is not an absolute URL", ("MIRASCOPE_BASE_URL", "not a url")),
            Case("relative BaseUrl", o => o.BaseUrl = new Uri("/api/v2", UriKind.Relative), "BaseUrl '/api/v2' is not an absolute URL"),
            Case("ftp BaseUrl", o => o.BaseUrl = new Uri("ftp://mirascope.com/api"), "must use https"),
            Case("query in BaseUrl", o => o.BaseUrl = new Uri("https://mirascope.com/api?x=1"), "without user info, query or fragment"),
            Case("key over http to a remote host", o => { o.ApiKey = Key; o.BaseUrl = new Uri("http://ingest.example.com/api/v2"); }, "plain http to a host that is not loopback"),
            Case("empty key", o => o.ApiKey = "", "ApiKey is empty"),
            Case("whitespace key", o => o.ApiKey = "   ", "ApiKey is empty"),
            Case("unknown OTEL_EXPORTER_OTLP_PROTOCOL", o => o.UseOtlp(), "OTEL_EXPORTER_OTLP_PROTOCOL is 'http/json'", ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")),
            Case("unknown UseOtlp protocol", o => o.UseOtlp(new Uri("http://127.0.0.1:4318"), "thrift"), "UseOtlp(protocol) is 'thrift'"),
            Case("zero queue", o => o.MaxQueueSize = 0, "MaxQueueSize must be at least 1"),
            Case("negative timeout", o => o.ExportTimeout = TimeSpan.FromSeconds(-1), "ExportTimeout must be positive"),
            Case("negative calls per trace", o => o.MaxRecordedCallsPerTrace = -1, "MaxRecordedCallsPerTrace must be 0 (every call) or more"),
            Case("negative trace recording budget", o => o.TraceRecordingBudget = TimeSpan.FromMilliseconds(-1), "TraceRecordingBudget must be zero or more"),
            Case("trace recording share over 100%", o => o.TraceRecordingBudgetPercent = 101, "TraceRecordingBudgetPercent must be 0 to 100"),
            Case("depth past the ceiling", o => o.MaxRecordedDepth = 65, "MaxRecordedDepth must be 0 to 64"),
            Case("no values", o => o.MaxRecordedValues = 0, "MaxRecordedValues must be at least 1"),
            Case("tiny nested strings", o => o.MaxNestedStringLength = 8, "MaxNestedStringLength must be at least 16 bytes"),
        };

        [Theory]
        [MemberData(nameof(InvalidSettings))]
        public void Invalid_settings_fail_Configure_with_a_message_that_says_what_to_change(string name, Action<OpsOptions> configure, string expected, (string, string)[] environment)
        {
            var exception = Assert.Throws<ArgumentException>(() => OpsPipeline.ResolveOptions(configure, TestEnvironment.With(environment)));
            Assert.Contains(expected, exception.Message);
            Assert.DoesNotContain(Key, exception.ToString());
            Assert.NotNull(name);
        }

        [Fact]
        public void Several_problems_are_reported_together()
        {
            var exception = Assert.Throws<ArgumentException>(() => OpsPipeline.ResolveOptions(o => { o.ApiKey = ""; o.MaxQueueSize = 0; }, TestEnvironment.Empty));
            Assert.Contains("ApiKey is empty", exception.Message);
            Assert.Contains("MaxQueueSize", exception.Message);
        }

        [Theory]
        [InlineData("http://127.0.0.1:3000/api/v2")]
        [InlineData("http://localhost:3000/api/v2")]
        [InlineData("http://[::1]:3000/api/v2")]
        public void Api_key_over_plain_http_is_allowed_to_loopback(string baseUrl)
        {
            var options = OpsPipeline.ResolveOptions(o => { o.ApiKey = Key; o.BaseUrl = new Uri(baseUrl); }, TestEnvironment.Empty);
            Assert.Equal(new Uri(baseUrl), options.BaseUrl);
        }

        [Fact]
        public void Api_key_over_plain_http_to_a_remote_host_is_allowed_only_when_explicitly_asked()
        {
            var options = OpsPipeline.ResolveOptions(o =>
            {
                o.ApiKey = Key;
                o.BaseUrl = new Uri("http://ingest.internal/api/v2");
                o.AllowInsecureApiKey = true;
            }, TestEnvironment.Empty);
            Assert.True(options.AllowInsecureApiKey);
        }

        [Fact]
        public void Environment_supplies_key_base_url_and_service_name_and_code_wins()
        {
            var environment = TestEnvironment.With(
                ("MIRASCOPE_API_KEY", Key),
                ("MIRASCOPE_BASE_URL", "https://staging.mirascope.com/api/v2"),
                ("OTEL_SERVICE_NAME", "books"));
            var fromEnvironment = OpsPipeline.ResolveOptions(_ => { }, environment);
            Assert.Equal(Key, fromEnvironment.ApiKey);
            Assert.Equal(new Uri("https://staging.mirascope.com/api/v2"), fromEnvironment.BaseUrl);
            Assert.Equal("books", fromEnvironment.ServiceName);

            var overridden = OpsPipeline.ResolveOptions(o => o.ServiceName = "library", environment);
            Assert.Equal("library", overridden.ServiceName);
        }

        [Fact]
        public void Empty_MIRASCOPE_API_KEY_counts_as_unset()
        {
            var options = OpsPipeline.ResolveOptions(_ => { }, TestEnvironment.With(("MIRASCOPE_API_KEY", "")));
            Assert.Null(options.ApiKey);
        }

        [Fact]
        public void Default_base_url_is_Mirascope_Cloud_api_v2()
        {
            Assert.Equal(new Uri("https://mirascope.com/api/v2"), new OpsOptions().BaseUrl);
        }

        [Fact]
        public void ToString_never_shows_the_api_key()
        {
            var options = new OpsOptions { ApiKey = Key, ServiceName = "books" };
            Assert.DoesNotContain(Key, options.ToString());
            Assert.Contains("ApiKey = (set, redacted)", options.ToString());
            Assert.Contains("ServiceName = books", options.ToString());
        }

        private static object[] Case(string name, Action<OpsOptions> configure, string expected, params (string, string)[] environment) =>
            new object[] { name, configure, expected, environment };
    }
}
