using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mirascope.Ops.Viewer.Accounts
{
    /// <summary>
    /// Local account passwords: PBKDF2 with HMAC-SHA256, <see cref="Iterations"/> iterations (OWASP's 2023 figure for
    /// PBKDF2-SHA256), a random 16-byte salt per password and a 32-byte result, stored as
    /// <c>pbkdf2-sha256$600000$&lt;salt base64&gt;$&lt;hash base64&gt;</c> so the cost can be raised later and old hashes still verify.
    /// Compared in constant time. A check for an unknown email runs the same derivation against <see cref="Decoy"/>, so
    /// the answer's timing does not say whether the account exists.
    /// </summary>
    internal static class PasswordHash
    {
        public const string Scheme = "pbkdf2-sha256";
        public const int Iterations = 600_000;
        public const int MinimumLength = 12;
        private const int SaltBytes = 16;
        private const int HashBytes = 32;

        /// <summary>A hash of no one's password, derived once, verified against when the email is unknown.</summary>
        public static readonly string Decoy = Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));

        public static string Create(string password)
        {
            var salt = RandomNumberGenerator.GetBytes(SaltBytes);
            var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
            return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
        }

        /// <summary>
        /// The PBKDF2 iterations <see cref="Verify"/> ran on this thread so far: lets a test see that an unknown email and a
        /// wrong password run the same derivation, which a clock on a shared machine cannot show reliably.
        /// </summary>
        [ThreadStatic]
        internal static long IterationsVerifiedOnThisThread;

        /// <summary>True when <paramref name="password"/> is the one <paramref name="stored"/> was made from; false for a malformed hash.</summary>
        public static bool Verify(string password, string stored)
        {
            var parts = stored.Split('$');
            if (parts.Length != 4 || parts[0] != Scheme
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            {
                return false;
            }

            byte[] salt, expected;
            try
            {
                salt = Convert.FromBase64String(parts[2]);
                expected = Convert.FromBase64String(parts[3]);
            }
            catch (FormatException)
            {
                return false;
            }

            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            IterationsVerifiedOnThisThread += iterations;
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }

        /// <summary>Null when the password may be used, else why not (length only: NIST SP 800-63B asks for no composition rules).</summary>
        public static string? Problem(string password) =>
            password.Length < MinimumLength ? $"a password needs at least {MinimumLength} characters" : null;
    }
}
