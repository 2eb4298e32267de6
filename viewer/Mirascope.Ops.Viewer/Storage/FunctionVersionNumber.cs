using System.Globalization;

namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// The Cloud's <c>calculateVersion</c>: against the most recently created version with the same name, a new signature
    /// hash is a new major version (<c>2.0</c>) and the same signature a new minor one (<c>1.1</c>); the first is <c>1.0</c>.
    /// </summary>
    internal static class FunctionVersionNumber
    {
        public static (int Major, int Minor) Next(FunctionRecord? latestWithSameName, string signatureHash)
        {
            if (latestWithSameName is null)
            {
                return (1, 0);
            }

            return latestWithSameName.SignatureHash == signatureHash
                ? (latestWithSameName.Major, latestWithSameName.Minor + 1)
                : (latestWithSameName.Major + 1, 0);
        }

        public static string Text((int Major, int Minor) version) =>
            version.Major.ToString(CultureInfo.InvariantCulture) + "." + version.Minor.ToString(CultureInfo.InvariantCulture);
    }
}
