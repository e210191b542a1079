using System.Text;

namespace Loops.Constraints.Ledgers;

/// <summary>
/// The embedded ledger's append-only file: one record per reservation or release. Read back on open (a torn last
/// record from a crash is ignored), then rewritten with only the live reservations so it never grows without bound.
/// </summary>
internal static class LedgerJournal
{
    private const byte ReserveRecord = 1;
    private const byte ReleaseRecord = 2;

    public static void Replay(string path, LedgerState state)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            while (stream.Position < stream.Length)
            {
                var kind = reader.ReadByte();
                if (kind == ReserveRecord)
                {
                    state.Apply(ReadReservation(reader));
                }
                else if (kind == ReleaseRecord)
                {
                    state.Release(reader.ReadString());
                }
                else
                {
                    return;
                }
            }
        }
        catch (EndOfStreamException)
        {
            // The process died while writing the last record; nothing after it was acknowledged.
        }
    }

    public static void Rewrite(string path, IEnumerable<Reservation> reservations)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8))
        {
            foreach (var reservation in reservations)
            {
                WriteReservation(writer, reservation);
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static byte[] EncodeReservation(Reservation reservation)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            WriteReservation(writer, reservation);
        }

        return buffer.ToArray();
    }

    public static byte[] EncodeRelease(string eventId)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(ReleaseRecord);
            writer.Write(eventId);
        }

        return buffer.ToArray();
    }

    private static void WriteReservation(BinaryWriter writer, Reservation reservation)
    {
        writer.Write(ReserveRecord);
        writer.Write(reservation.EventId);
        writer.Write(reservation.AtUnixMs);
        writer.Write(reservation.Charges.Count);
        foreach (var charge in reservation.Charges)
        {
            writer.Write(charge.Key);
            writer.Write((byte)charge.Kind);
            writer.Write(charge.Amount);
            writer.Write(charge.Limit);
            writer.Write(charge.WindowMs);
            writer.Write(charge.RuleId);
        }
    }

    private static Reservation ReadReservation(BinaryReader reader)
    {
        var eventId = reader.ReadString();
        var at = reader.ReadInt64();
        var count = reader.ReadInt32();
        var charges = new Charge[count];
        for (var i = 0; i < count; i++)
        {
            charges[i] = new Charge(
                reader.ReadString(), (ChargeKind)reader.ReadByte(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt64(), reader.ReadString());
        }

        return new Reservation(eventId, at, charges);
    }
}
