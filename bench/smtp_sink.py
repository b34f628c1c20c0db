#!/usr/bin/env python3
"""A tiny SMTP sink for the newsletter row: accepts every message on 127.0.0.1:PORT and appends
one line per message to LOG: the time (seconds since the epoch), the recipients and the
Message-ID. Several messages per connection (the server pools its connections) and many
connections at once; nothing is stored but the log. Stop it with SIGTERM.

    smtp_sink.py PORT LOG
    smtp_sink.py --count LOG   # messages, distinct recipients, recipients seen twice
"""
import asyncio
import sys
import time


async def session(reader, writer, log):
    writer.write(b"220 sink ESMTP\r\n")
    await writer.drain()
    rcpts = []
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            cmd = line.decode("latin-1").strip()
            verb = cmd[:4].upper()
            if verb in ("EHLO", "HELO"):
                writer.write(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif verb == "MAIL":
                rcpts = []
                writer.write(b"250 ok\r\n")
            elif verb == "RCPT":
                addr = cmd.split(":", 1)[1].strip()
                rcpts.append(addr.split()[0].strip("<>").lower())
                writer.write(b"250 ok\r\n")
            elif verb == "DATA":
                writer.write(b"354 go on\r\n")
                await writer.drain()
                message_id = "-"
                while True:
                    data = await reader.readline()
                    if not data or data in (b".\r\n", b".\n"):
                        break
                    if message_id == "-" and data[:11].lower() == b"message-id:":
                        message_id = data[11:].decode("latin-1").strip()
                log.write(f"{time.time():.6f} {','.join(rcpts)} {message_id}\n")
                log.flush()
                writer.write(b"250 queued\r\n")
            elif verb == "RSET":
                rcpts = []
                writer.write(b"250 ok\r\n")
            elif verb == "QUIT":
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"250 ok\r\n")
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


def count(path):
    """Messages, recipients, recipients who got more than one message, and of those the ones
    who got two different messages (two Message-IDs: queued twice) rather than one message
    delivered again (the same Message-ID: the queue's retry after a lost acknowledgement)."""
    per = {}
    ids = {}
    times = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            times.append(float(parts[0]))
            mid = parts[2] if len(parts) > 2 else "-"
            for r in parts[1].split(","):
                per[r] = per.get(r, 0) + 1
                ids.setdefault(r, set()).add(mid)
    twice = sorted(r for r, n in per.items() if n > 1)
    different = [r for r in twice if len(ids[r]) > 1]
    print(f"messages={len(times)} recipients={len(per)} twice={len(twice)} queued-twice={len(different)}")
    for r in twice[:20]:
        print(f"twice: {r} ({per[r]} messages, {len(ids[r])} Message-ID(s))")


async def main(port, path):
    log = open(path, "a", buffering=1)
    server = await asyncio.start_server(
        lambda r, w: session(r, w, log), "127.0.0.1", port, limit=1 << 20
    )
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if sys.argv[1] == "--count":
        count(sys.argv[2])
    else:
        try:
            asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
        except KeyboardInterrupt:
            pass
