using System;
using System.Security.Cryptography;
using System.Text;

namespace Mirascope.Ops.Viewer.Accounts
{
    /// <summary>
    /// An API key as the Cloud made them: <c>mk_</c> + base64url of 32 random bytes, shown once when created. The store
    /// keeps only its SHA-256 (hex), which is what a presented key is looked up by, and a prefix for people to tell keys
    /// apart (the first 10 characters and <c>...</c>).
    /// </summary>
    internal static class ApiKeySecret
    {
        public const string Marker = "mk_";

        public static string Generate() =>
            Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        /// <summary>The lookup value of a key (or of a session token): SHA-256 of its UTF-8, lower-case hex.</summary>
        public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

        public static string Prefix(string key) => key.Substring(0, Math.Min(10, key.Length)) + "...";
    }
}
