namespace Visibility.Engine.Inspection.Keywords;

/// <summary>Whether a keyword takes a value (<c>keyword:value;</c>) or not (<c>keyword;</c>).</summary>
internal enum KeywordValue : byte
{
    None = 0,
    Required = 1,
    Optional = 2,
}
