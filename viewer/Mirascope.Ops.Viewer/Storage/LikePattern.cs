namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>Client text as a LIKE pattern's literal part (used with <c>ESCAPE '\'</c>): its <c>%</c>, <c>_</c> and <c>\</c> match only themselves.</summary>
    internal static class LikePattern
    {
        public static string Escape(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

        /// <summary>Matches any text that contains <paramref name="text"/>.</summary>
        public static string Containing(string text) => "%" + Escape(text) + "%";
    }
}
