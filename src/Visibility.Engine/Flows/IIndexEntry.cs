namespace Visibility.Engine.Flows;

/// <summary>An entry of a flow table's open-addressing index, as <see cref="LinearProbing"/> sees it.</summary>
internal interface IIndexEntry
{
    bool IsEmpty { get; }

    int Hash { get; }
}
