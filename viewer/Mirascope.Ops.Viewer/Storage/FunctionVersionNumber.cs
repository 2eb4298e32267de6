using System.Globalization;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The Cloud's <c>calculateVersion</c>: against the last version given to the same name, a new signature hash is a new
    /// major version (<c>2.0</c>) and the same signature a new minor one (<c>1.1</c>); the first is <c>1.0</c>. "Last" is
    /// the name's stored sequence, never a timestamp (the Cloud compared creation times and could give one number twice).
    /// </summary>
    internal static class FunctionVersionNumber
    {
        public static (int Major, int Minor) Next(Last? last, string signatureHash)
        {
            if (last is null)
            {
                return (1, 0);
            }

            return last.SignatureHash == signatureHash
                ? (last.Major, last.Minor + 1)
                : (last.Major + 1, 0);
        }

        public static string Text((int Major, int Minor) version) =>
            version.Major.ToString(CultureInfo.InvariantCulture) + "." + version.Minor.ToString(CultureInfo.InvariantCulture);

        /// <summary>The last number given to a name, and the signature hash it was given for.</summary>
        public sealed record Last(int Major, int Minor, string SignatureHash);
    }
}
