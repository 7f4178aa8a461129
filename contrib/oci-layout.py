#!/usr/bin/env python3
"""Builds an OCI image layout (oci-layout, index.json, blobs/) from a root filesystem tar, offline, for registry tests
and benchmarks: `skopeo copy oci:DIR:latest docker://...` then pushes it to a registry.

Usage: oci-layout.py OUT_DIR ROOTFS.tar [--layers N] [--copies C] [--compression gzip|zstd|none]
The rootfs entries are dealt into N layers (a hard link goes with its target); with C > 1 the whole set is repeated C
times under /copyK/ to make a bigger image.
"""
import argparse, gzip, hashlib, io, json, os, subprocess, tarfile, time

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out"); ap.add_argument("rootfs")
    ap.add_argument("--layers", type=int, default=1); ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--compression", default="gzip", choices=["gzip", "zstd", "none"])
    a = ap.parse_args()
    os.makedirs(os.path.join(a.out, "blobs", "sha256"), exist_ok=True)
    src = tarfile.open(a.rootfs)
    members = src.getmembers()
    where = {}
    for i, m in enumerate(members):
        where[m.name] = where[m.linkname] if m.islnk() and m.linkname in where else i % a.layers
    layers, diff_ids = [], []
    for copy in range(a.copies):
        for n in range(a.layers):
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
                for m in members:
                    if where[m.name] != n:
                        continue
                    m2 = m
                    c = copy_info(m2)
                    if copy:
                        c.name = "copy%d/%s" % (copy, m2.name.lstrip("./"))
                        if c.islnk():
                            c.linkname = "copy%d/%s" % (copy, m2.linkname.lstrip("./"))
                    t.addfile(c, src.extractfile(m2) if m2.isreg() else None)
            raw = buf.getvalue()
            diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
            if a.compression == "gzip":
                blob, mt = gzip.compress(raw, 6, mtime=0), "application/vnd.oci.image.layer.v1.tar+gzip"
            elif a.compression == "zstd":
                blob = subprocess.run(["zstd", "-q", "-3", "-c"], input=raw, stdout=subprocess.PIPE, check=True).stdout
                mt = "application/vnd.oci.image.layer.v1.tar+zstd"
            else:
                blob, mt = raw, "application/vnd.oci.image.layer.v1.tar"
            layers.append(write(a.out, blob, mt))
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    config = {"architecture": "amd64", "os": "linux", "created": now,
              "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": ["sh"]},
              "rootfs": {"type": "layers", "diff_ids": diff_ids},
              "history": [{"created": now, "created_by": "oci-layout.py layer %d" % i} for i in range(len(diff_ids))]}
    cfg = write(a.out, json.dumps(config).encode(), "application/vnd.oci.image.config.v1+json")
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": cfg,
                "layers": layers}
    man = write(a.out, json.dumps(manifest).encode(), "application/vnd.oci.image.manifest.v1+json")
    man["annotations"] = {"org.opencontainers.image.ref.name": "latest"}
    json.dump({"schemaVersion": 2, "manifests": [man]}, open(os.path.join(a.out, "index.json"), "w"))
    json.dump({"imageLayoutVersion": "1.0.0"}, open(os.path.join(a.out, "oci-layout"), "w"))

def copy_info(m):
    c = tarfile.TarInfo(m.name)
    for k in ("size", "mtime", "mode", "type", "linkname", "uid", "gid", "uname", "gname", "devmajor", "devminor",
              "pax_headers"):
        setattr(c, k, getattr(m, k))
    return c

def write(out, data, media_type):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(out, "blobs", "sha256", d), "wb") as f:
        f.write(data)
    return {"mediaType": media_type, "digest": "sha256:" + d, "size": len(data)}

main()
