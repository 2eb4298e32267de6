using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Security
{
    /// <summary>
    /// <c>--certificate</c>: the viewer process serves HTTPS itself with a certificate made by the test, its password given
    /// on stdin or in the environment, never on the command line.
    /// </summary>
    public sealed class CertificateProcessTests : IDisposable
    {
        private const string Password = "pfx-password-never-shown";

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));

        public CertificateProcessTests() => Directory.CreateDirectory(_folder);

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task With_a_certificate_the_viewer_serves_its_page_and_takes_spans_over_HTTPS_on_loopback(bool passwordOnStdin)
        {
            var (path, certificate) = SelfSigned("tls.pfx");
            using var _ = certificate;
            var args = new List<string> { "--port", "0", "--store", TestStore.NewLocation(_folder), "--certificate", path };
            if (passwordOnStdin)
            {
                args.Add("--certificate-password-stdin");
            }

            var (viewer, baseUrl) = await ViewerProcess.StartAsync(args.ToArray(), passwordOnStdin ? Password : null,
                passwordOnStdin ? null : new Dictionary<string, string> { [ViewerOptions.CertificatePasswordVariable] = Password });
            using var process = viewer;

            Assert.Equal("https", baseUrl.Scheme);
            Assert.Equal("127.0.0.1", baseUrl.Host);
            X509Certificate2? presented = null;
            using var handler = new HttpClientHandler
            {
                // Trusted because it is the very certificate the test made (not "any certificate").
                ServerCertificateCustomValidationCallback = (_, serverCertificate, _, _) =>
                {
                    presented = serverCertificate is null ? null : new X509Certificate2(serverCertificate);
                    return serverCertificate?.Thumbprint == certificate.Thumbprint;
                },
            };
            using var https = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
            var origin = baseUrl.GetLeftPart(UriPartial.Authority);

            var page = await https.GetStringAsync(origin + "/");
            var trace = RichSpans.TraceId("over-tls");
            using var content = new ByteArrayContent(RichSpans.Build(new RichSpan(trace, RichSpans.SpanId(1), null, "Tls.Call", DateTime.UtcNow, 2)));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var ingest = await https.PostAsync(baseUrl + "/traces", content);
            var stored = await https.GetStringAsync(origin + "/api/traces/" + trace);

            Assert.Contains("<title>Mirascope.Ops viewer</title>", page);
            Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
            Assert.Contains("Tls.Call", stored);
            Assert.Equal(certificate.Thumbprint, presented?.Thumbprint);
            Assert.Contains($"open {origin}/", viewer.Output);
            Assert.DoesNotContain(Password, viewer.Output);
            using var plain = new HttpClient();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync("http://127.0.0.1:" + baseUrl.Port + "/"));   // no plain HTTP beside it
        }

        [Fact]
        public async Task A_password_on_the_command_line_is_refused_and_a_wrong_one_says_what_to_do_without_showing_it()
        {
            var (path, certificate) = SelfSigned("wrong.pfx");
            using var _ = certificate;

            var (onLineCode, onLine) = await ViewerProcess.RunToExitAsync("--port", "0", "--certificate", path, "--certificate-password", Password);
            var (wrongCode, wrong) = await ViewerProcess.RunToExitAsync(new[] { "--port", "0", "--store", TestStore.NewLocation(_folder), "--certificate", path, "--certificate-password-stdin" },
                "not-" + Password, environment: null);

            Assert.Equal(2, onLineCode);
            Assert.Contains("--certificate-password is not an option: a password on the command line is visible to every user of the machine", onLine);
            Assert.DoesNotContain(Password, onLine);
            Assert.Equal(2, wrongCode);
            Assert.Contains($"Cannot read the certificate {path}", wrong);
            Assert.Contains("--certificate-password-stdin or MIRASCOPE_VIEWER_CERTIFICATE_PASSWORD", wrong);
            Assert.DoesNotContain(Password, wrong);
        }

        /// <summary>A self-signed certificate for 127.0.0.1 and localhost, written as a password-protected .pfx.</summary>
        private (string Path, X509Certificate2 Certificate) SelfSigned(string file)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, critical: false));
            var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            var path = Path.Combine(_folder, file);
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
            return (path, certificate);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
