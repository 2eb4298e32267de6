namespace Mirascope.Ops.Viewer.Storage
{
    /// <summary>
    /// When a substring test on a span's stored attributes JSON (its text, not parsed) may come before the exact test on
    /// one attribute's value: for a text made only of ASCII letters, digits, spaces, <c>-</c>, <c>_</c> and <c>.</c>, an
    /// attribute value containing it means the stored JSON contains it too, because JSON writers escape none of those
    /// characters (the viewer writes attributes with <c>UnsafeRelaxedJsonEscaping</c>: quotes, backslashes and control
    /// characters only) and none of them is JSON syntax, so a match cannot straddle a value's quotes or a separator.
    /// The cheap test passes over the spans without the text; the exact test still decides, so answers do not change.
    /// Reading each walked span's JSON was most of a walk's cost (PostgreSQL parses the text again for every key).
    /// </summary>
    internal static class RawJsonText
    {
        public static bool CanPrefilter(string text)
        {
            if (text.Length == 0)
            {
                return false;
            }

            foreach (var c in text)
            {
                if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or ' ' or '-' or '_' or '.'))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
