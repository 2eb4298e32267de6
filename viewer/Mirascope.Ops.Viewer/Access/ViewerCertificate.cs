using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// The certificate Kestrel serves HTTPS with when the viewer is started with <c>--certificate &lt;pfx&gt;</c>: TLS
    /// without a reverse proxy. The password comes from stdin or <see cref="ViewerOptions.CertificatePasswordVariable"/>,
    /// never from an argument (<see cref="ViewerOptions.Parse"/> refuses one).
    /// </summary>
    internal static class ViewerCertificate
    {
        /// <summary>Loads the file; a clear <see cref="RefusedStartException"/> when it cannot (never showing the password).</summary>
        public static X509Certificate2 Load(string path, string? password)
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            }
            catch (CryptographicException exception)
            {
                throw new RefusedStartException($"Cannot read the certificate {path}: {exception.Message.TrimEnd('.')}. It must be a PKCS#12 (.pfx) file with its private key; "
                    + $"give its password with --certificate-password-stdin or {ViewerOptions.CertificatePasswordVariable}.");
            }

            if (!certificate.HasPrivateKey)
            {
                certificate.Dispose();
                throw new RefusedStartException($"The certificate {path} has no private key; export it with its key (a .pfx file).");
            }

            var now = DateTime.Now;
            if (now < certificate.NotBefore || now > certificate.NotAfter)
            {
                var (notBefore, notAfter) = (certificate.NotBefore, certificate.NotAfter);
                certificate.Dispose();
                throw new RefusedStartException($"The certificate {path} is valid from {notBefore:u} to {notAfter:u}, not now.");
            }

            return certificate;
        }
    }
}
