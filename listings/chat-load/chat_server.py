"""The chat server of listings/chat-server, written with asyncio: same protocol, same limits.

Run it with `python3 listings/chat-load/chat_server.py 7878` (0, or no port, picks a free
one). Standard library only; it serves until Ctrl-C.
"""

import asyncio
import sys

# The longest line a client may send, in bytes, not counting the "\n"; StreamReader's
# `limit` is exactly that.
MAX_LINE = 1024
NAME_TIMEOUT = 30
# Bytes that may wait in a client's transport before it starts missing messages: the
# 64 KiB at which `drain()` would make a writer wait.
BACKLOG = 64 * 1024


class Goodbye(Exception):
    """A line the server refuses: the client is told why and sent away."""


class Client:
    # Slots: no per-object dict, which matters at 10,000 clients.
    __slots__ = ("name", "room", "writer", "missed")

    def __init__(self, name, writer):
        self.name = name
        self.room = None
        self.writer = writer
        self.missed = 0


# Room name -> the clients in it. A room is made by its first client, dropped by its last.
rooms = {}


def pass_on(client, data):
    """Queues a line for another client without waiting: a slow client must not hold up the
    one who spoke. Past BACKLOG it misses the line instead, and is told how many it missed."""
    transport = client.writer.transport
    if transport.is_closing():
        return
    if transport.get_write_buffer_size() > BACKLOG:
        client.missed += 1
        return
    if client.missed:
        client.writer.write(f"* you missed {client.missed} messages\n".encode())
        client.missed = 0
    client.writer.write(data)


def say(client, text):
    """Passes `text` to everyone else in the client's room."""
    data = f"{text}\n".encode()
    for other in rooms.get(client.room, ()):
        if other is not client:
            pass_on(other, data)


def enter(client, room):
    client.room = room
    rooms.setdefault(room, set()).add(client)
    say(client, f"* {client.name} joined")


def leave(client):
    say(client, f"* {client.name} left")
    members = rooms.get(client.room)
    if members is not None:
        members.discard(client)
        if not members:
            del rooms[client.room]
    client.room = None


async def tell(writer, text):
    """Sends the client its own line, waiting while its buffer is full."""
    writer.write(f"{text}\n".encode())
    await writer.drain()


async def read_line(reader):
    """The next line without its "\\n" (and "\\r"), or None at the end of the connection."""
    try:
        raw = await reader.readline()
    except ValueError:
        # readline's LimitOverrunError, for a line longer than the reader's limit.
        raise Goodbye(f"* line too long (the limit is {MAX_LINE} bytes); goodbye")
    if not raw.endswith(b"\n"):
        # The end of the connection, with or without half a line: nobody left to tell.
        return None
    try:
        return raw[:-1].removesuffix(b"\r").decode()
    except UnicodeDecodeError:
        raise Goodbye("* that line is not UTF-8; goodbye")


def is_word(word):
    return 1 <= len(word) <= 32 and not any(c.isspace() for c in word)


async def read_name(reader, writer):
    async with asyncio.timeout(NAME_TIMEOUT):
        while (line := await read_line(reader)) is not None:
            if is_word(line):
                return line
            await tell(writer, "* a name is 1 to 32 characters, none of them spaces")
    return None


async def serve_client(reader, writer):
    """One client's whole connection, in one task: asyncio starts one per connection."""
    client = None
    try:
        try:
            name = await read_name(reader, writer)
        except TimeoutError:
            await tell(writer, f"* no name within {NAME_TIMEOUT} s; goodbye")
            return
        if name is None:
            return
        client = Client(name, writer)
        enter(client, "lobby")
        await tell(writer, f"* welcome {name}, you are in lobby")
        while (line := await read_line(reader)) is not None:
            if line.startswith("/join "):
                room = line.removeprefix("/join ")
                if not is_word(room):
                    await tell(writer, "* a room name is 1 to 32 characters, none of them spaces")
                    continue
                if room != client.room:
                    leave(client)
                    enter(client, room)
                await tell(writer, f"* you are in {room}")
            else:
                say(client, f"{name}: {line}")
    except Goodbye as bye:
        try:
            await tell(writer, str(bye))
        except ConnectionError:
            pass
    except ConnectionError:
        pass
    finally:
        if client is not None:
            leave(client)
        writer.close()
        try:
            await writer.wait_closed()
        except ConnectionError:
            pass


async def main(port):
    # The backlog the Rust server asks for, not asyncio's 100: a crowd arriving at once
    # would overflow that.
    server = await asyncio.start_server(
        serve_client, "127.0.0.1", port, limit=MAX_LINE, backlog=1024
    )
    host, port = server.sockets[0].getsockname()
    # The first line tells whoever started the server where to find it.
    print(f"Listening on {host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    except KeyboardInterrupt:
        pass
