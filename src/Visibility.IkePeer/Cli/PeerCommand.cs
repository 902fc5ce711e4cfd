namespace Visibility.IkePeer.Cli;

/// <summary>The sub-command of a <c>visibility-peer</c> run.</summary>
internal enum PeerCommand
{
    Initiate = 0,
    Respond = 1,
    Scenario = 2,
}
