using System.Globalization;
using Spectre.Console;
using Visibility.Cli.Eve;
using Visibility.Cli.Output;
using Visibility.Engine.Events;
using Visibility.Wire;

namespace Visibility.Cli.Replay;

/// <summary>The human summary printed at the end of a replay.</summary>
internal static class TextSummary
{
    private const int MaxEspRows = 40;

    public static void Write(TextWriter target, RunStatistics run, EngineCounters c, SummaryCollector collected)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(target),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
        if ((target == Console.Out && Console.IsOutputRedirected) || (target == Console.Error && Console.IsErrorRedirected) || (target != Console.Out && target != Console.Error))
        {
            console.Profile.Width = 160;
        }

        double captureSeconds = run.LastPacketNanoseconds > run.FirstPacketNanoseconds
            ? (run.LastPacketNanoseconds - run.FirstPacketNanoseconds) / 1e9
            : 0;
        double rate = run.Elapsed.TotalSeconds > 0 ? c.Packets / run.Elapsed.TotalSeconds : 0;
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Visibility replay: {run.Files.Count} file(s), {c.Packets:N0} packets, {FormatBytes(c.Bytes)}, capture span {captureSeconds:0.###} s")));
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Processed in {run.Elapsed.TotalSeconds:0.###} s ({rate:N0} packets/s); {collected.FlowRecords:N0} flows; {run.Rules:N0} rules, {AlertTotal(collected):N0} alerts ({WouldDropTotal(collected):N0} would drop); {run.EveRecords:N0} EVE records")));

        var protocols = new Table().Border(TableBorder.Simple).AddColumn("Protocol").AddColumn(new TableColumn("Packets").RightAligned());
        AddRow(protocols, "IPv4", c.IPv4);
        AddRow(protocols, "IPv6", c.IPv6);
        AddRow(protocols, "VLAN-tagged", c.Vlan);
        AddRow(protocols, "TCP", c.Tcp);
        AddRow(protocols, "UDP", c.Udp);
        AddRow(protocols, "ICMPv4", c.Icmp);
        AddRow(protocols, "ICMPv6", c.IcmpV6);
        AddRow(protocols, "ESP (IP 50)", c.Esp);
        AddRow(protocols, "ESP in UDP", c.EspUdp);
        AddRow(protocols, "WESP", c.Wesp);
        AddRow(protocols, "IKE", c.Ike);
        AddRow(protocols, "NAT keepalive", c.NatKeepalive);
        AddRow(protocols, "Other IP", c.OtherIP);
        AddRow(protocols, "Non-IP", c.NonIP);
        AddRow(protocols, "IP fragments", c.Fragments);
        AddRow(protocols, "Reassembled", c.Reassembled);
        console.Write(protocols);

        if (c.Invalid > 0)
        {
            var anomalies = new Table().Border(TableBorder.Simple).AddColumn("Anomaly").AddColumn(new TableColumn("Count").RightAligned());
            foreach (DecodeAnomaly anomaly in DecodeAnomalyNames.All)
            {
                long n = c.AnomalyCount(anomaly);
                if (n > 0)
                {
                    anomalies.AddRow(DecodeAnomalyNames.EventName(anomaly), n.ToString("N0", CultureInfo.InvariantCulture));
                }
            }
            console.Write(anomalies);
        }

        if (collected.EspFlows.Count > 0)
        {
            var esp = new Table().Border(TableBorder.Simple).Title("ESP security associations (one per direction)")
                .AddColumn("Source").AddColumn("Destination").AddColumn("SPI").AddColumn("Encap")
                .AddColumn(new TableColumn("Packets").RightAligned()).AddColumn(new TableColumn("Bytes").RightAligned())
                .AddColumn("Verdict").AddColumn("ICV").AddColumn("Mode");
            foreach (EspFlowRow row in collected.EspFlows.OrderByDescending(r => r.Packets).ThenBy(r => r.Spi).Take(MaxEspRows))
            {
                bool ports = row.Encapsulation is EspEncapsulation.Udp or EspEncapsulation.WespUdp;
                esp.AddRow(
                    Markup.Escape(ports ? $"{row.Source}:{row.SourcePort}" : row.Source.ToString()),
                    Markup.Escape(ports ? $"{row.Destination}:{row.DestinationPort}" : row.Destination.ToString()),
                    string.Create(CultureInfo.InvariantCulture, $"0x{row.Spi:x8}"),
                    EveFormat.EncapsulationName(row.Encapsulation),
                    row.Packets.ToString("N0", CultureInfo.InvariantCulture),
                    row.Bytes.ToString("N0", CultureInfo.InvariantCulture),
                    row.Verdict,
                    row.IcvLength?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    row.Mode ?? "-");
            }
            console.Write(esp);
            if (collected.EspFlows.Count > MaxEspRows)
            {
                console.MarkupLine(Markup.Escape($"... and {collected.EspFlows.Count - MaxEspRows:N0} more ESP SAs (see the EVE flow records)"));
            }
        }
        if (collected.AlertCounts.Count > 0)
        {
            var alerts = new Table().Border(TableBorder.Simple).Title("Alerts by signature")
                .AddColumn(new TableColumn("Count").RightAligned()).AddColumn("SID").AddColumn("Action").AddColumn("Signature");
            foreach ((Visibility.Engine.Inspection.Rule rule, long count) in collected.AlertCounts.OrderByDescending(a => a.Value).ThenBy(a => a.Key.Sid))
            {
                alerts.AddRow(count.ToString("N0", CultureInfo.InvariantCulture), rule.Sid.ToString(CultureInfo.InvariantCulture),
                    rule.Action == Visibility.Engine.Inspection.RuleAction.Drop ? "would drop" : "alert", Markup.Escape(rule.Message));
            }
            console.Write(alerts);
        }
        WriteIkeSas(console, collected);
        foreach (string error in run.Errors)
        {
            console.MarkupLine("[red]error:[/] " + Markup.Escape(error));
        }
    }

    private const int MaxIkeRows = 40;

    /// <summary>The IKE SAs with their outcome and the ESP flows linked to each.</summary>
    private static void WriteIkeSas(IAnsiConsole console, SummaryCollector collected)
    {
        if (collected.IkeSas.Count == 0)
        {
            return;
        }
        var linked = collected.EspFlows.Where(f => f.IkeLink is not null)
            .ToLookup(f => (f.IkeInitiatorSpi, f.IkeResponderSpi));
        var table = new Table().Border(TableBorder.Simple).Title("IKE security associations")
            .AddColumn("Initiator").AddColumn("Responder").AddColumn(new TableColumn("SPIi").NoWrap()).AddColumn(new TableColumn("SPIr").NoWrap())
            .AddColumn("Outcome").AddColumn("Auth").AddColumn(new TableColumn("Child SAs").RightAligned()).AddColumn("ESP flows")
            .AddColumn(new TableColumn("Msgs").RightAligned()).AddColumn(new TableColumn("Retx").RightAligned()).AddColumn("Notes");
        foreach (IkeSaRow row in collected.IkeSas.Take(MaxIkeRows))
        {
            List<EspFlowRow> flows = [.. linked[(row.InitiatorSpi, row.ResponderSpi)]];
            int negotiated = flows.Count(f => f.IkeLink == "negotiated");
            string esp = flows.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture,
                $"{flows.Count} {(negotiated == flows.Count ? "negotiated" : negotiated == 0 ? "likely" : $"({negotiated} negotiated)")}, {string.Join("/", flows.Select(f => f.Verdict).Distinct())}");
            var notes = new List<string>();
            if (row.Decrypted)
            {
                notes.Add("decrypted");
            }
            if (row.RekeyedFrom != 0)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"rekey of {row.RekeyedFrom:x16}"));
            }
            if (row.RedirectedTo is not null)
            {
                notes.Add("to " + row.RedirectedTo);
            }
            if (row.InitiatorId is not null)
            {
                notes.Add("id " + row.InitiatorId);
            }
            table.AddRow(
                Markup.Escape(row.Initiator.ToString()),
                Markup.Escape(row.Responder.ToString()),
                string.Create(CultureInfo.InvariantCulture, $"{row.InitiatorSpi:x16}"),
                string.Create(CultureInfo.InvariantCulture, $"{row.ResponderSpi:x16}"),
                row.Outcome == row.State ? row.Outcome : $"{row.Outcome} ({row.State})",
                Markup.Escape(ShortAuth(row.AuthMethod)),
                row.ChildSas.ToString(CultureInfo.InvariantCulture),
                esp,
                row.Messages.ToString("N0", CultureInfo.InvariantCulture),
                row.Retransmissions.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(string.Join("; ", notes)));
        }
        console.Write(table);
        if (collected.IkeSas.Count > MaxIkeRows)
        {
            console.MarkupLine(Markup.Escape($"... and {collected.IkeSas.Count - MaxIkeRows:N0} more IKE SAs (see the EVE ike_sa records)"));
        }
    }

    /// <summary>Short labels for the summary's Auth column (EVE keeps the IANA names).</summary>
    private static string ShortAuth(string? method) => method switch
    {
        null => "-",
        "Shared Key Message Integrity Code" => "PSK",
        "RSA Digital Signature" => "RSA",
        "Digital Signature" => "signature",
        _ => method,
    };

    private static void AddRow(Table table, string name, long value)
    {
        if (value > 0)
        {
            table.AddRow(name, value.ToString("N0", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The alerts written (the sum over signatures).</summary>
    internal static long AlertTotal(SummaryCollector collected)
    {
        long total = 0;
        foreach (long count in collected.AlertCounts.Values)
        {
            total += count;
        }
        return total;
    }

    /// <summary>The alerts of drop rules: what an inline bridge would have dropped.</summary>
    internal static long WouldDropTotal(SummaryCollector collected)
    {
        long total = 0;
        foreach ((Visibility.Engine.Inspection.Rule rule, long count) in collected.AlertCounts)
        {
            if (rule.Action == Visibility.Engine.Inspection.RuleAction.Drop)
            {
                total += count;
            }
        }
        return total;
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.##} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.##} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
