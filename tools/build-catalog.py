#!/usr/bin/env python3
"""Builds the instance catalogs under profiles/catalog/ from upstream
snapshots (git repositories: `fetch` them, or clone them) and the fact tables
already vendored under tests/fixtures/upstream/.

  tools/build-catalog.py MIRRORS_DIR

MIRRORS_DIR holds one bare or working repository per upstream, named
OWNER+NAME/repo (the layout of the project's mirror tool):

  kubernetes+autoscaler            shapes: AWS ec2_instance_types.go, Azure
                                   azure_instance_types.go; GCE machine-type
                                   names: gce_price_info.go instancePrices
  awslabs+amazon-eks-ami           ENIs and IPv4 per ENI: nodeadm's
                                   instance-info.jsonl
  aws+karpenter-provider-aws       AWS on-demand prices, us-east-1
  hjacobs+kube-resource-report     AWS on-demand prices of other regions (2020)
  Azure+karpenter-provider-azure   Azure on-demand prices, every region
  cloudpilot-ai+karpenter-provider-gcp  GCE on-demand prices, every region

Writes profiles/catalog/PLATFORM.tsv (the types) and PLATFORM-prices.tsv (a
line per region, prices in the types' order). Every `#source` line names
repository, path, commit and date; the program reads them to say where a
price comes from. Derived columns (class, series, generation; GCE shapes) are
computed by the rules below, each with its source.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "tests/fixtures/upstream/facts"


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], check=True,
                          capture_output=True, text=True).stdout


class Source:
    def __init__(self, mirrors, key, slug, path, date=None):
        self.repo = mirrors / slug.replace("/", "+") / "repo"
        self.key, self.slug, self.path = key, slug, path
        self.commit = git(self.repo, "log", "-1", "--format=%H", "--", path).strip()
        self.date = date or git(self.repo, "log", "-1", "--format=%cs", "--", path).strip()
        self.text = git(self.repo, "show", f"{self.commit}:{path}")

    def line(self, note):
        return f"#source\t{self.key}\t{self.slug}\t{self.path}\t{self.commit}\t{self.date}\t{note}"


def go_structs(text):
    """Every `"NAME": {Field: value, ...}` entry of a generated Go map."""
    out = {}
    for name, body in re.findall(r'\n\t"([^"]+)": \{\n(.*?)\n\t\},', text, re.S):
        fields = dict(re.findall(r'(\w+):\s+"?([^",\n]*)"?,', body))
        out[name] = fields
    return out


def go_float_map(text, start):
    """`"key": 0.123,` pairs after `start`, up to the map's closing brace."""
    s = text.index(start)
    e = text.index("\n\t}", s)
    return {k: float(v) for k, v in re.findall(r'"([^"]+)":\s*([0-9.]+)', text[s:e])}


def baselines(name):
    """Each burstable type's baseline, percent of each vCPU: the credits it
    earns an hour over 60 minutes and its vCPUs (a credit is one vCPU at
    100% for a minute; the tables' rounded percentages agree)."""
    rows = [l.split("\t") for l in (FACTS / name).read_text().splitlines() if not l.startswith("#")]
    head = rows[0]
    credits, vcpus = head.index("creditsPerHour"), head.index("vcpus")
    return {r[0]: "%.10g" % (float(r[credits]) / 60 / float(r[vcpus]) * 100) for r in rows[1:]}


# ---------------------------------------------------------------- AWS
# Classes by the letters before the generation digit (EC2 instance type
# naming, docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html).
AWS_CLASS = [("mac", None), ("hpc", "hpc"), ("inf", "accelerated"), ("trn", "accelerated"),
             ("dl", "accelerated"), ("vt", "accelerated"), ("gr", "accelerated"),
             ("im", "storage"), ("is", "storage"), ("u", "memory"), ("t", "burstable"),
             ("m", "general"), ("a", "general"), ("c", "compute"), ("r", "memory"),
             ("x", "memory"), ("z", "memory"), ("i", "storage"), ("d", "storage"),
             ("h", "storage"), ("p", "accelerated"), ("g", "accelerated"), ("f", "accelerated")]
# EC2's previous-generation families (docs.aws.amazon.com/ec2/latest/
# instancetypes/pg.html): not offered for new designs unless asked.
AWS_PREVIOUS = {"c1", "c3", "c4", "cc2", "cr1", "d2", "g2", "g3", "g3s", "hs1", "hi1", "i2",
                "m1", "m2", "m3", "m4", "p2", "r3", "r4", "t1", "x1", "x1e"}
# kube-resource-report names one region by its title.
AWS_TITLES = {"EU (Milan)": "eu-south-1"}


def aws_class(series):
    if series.startswith("mac"):
        return None  # mac1, mac2-m2, mac-m4: macOS on dedicated hosts
    for prefix, cls in AWS_CLASS:
        if series.startswith(prefix) and (len(series) == len(prefix) or series[len(prefix)].isdigit()
                                          or prefix in ("u",)):
            return cls
    return "other"


def aws(mirrors):
    shapes = Source(mirrors, "shapes", "kubernetes/autoscaler",
                    "cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go")
    shapes.date = re.search(r'StaticListLastUpdateTime = "([0-9-]+)"', shapes.text).group(1)
    enis = Source(mirrors, "enis", "awslabs/amazon-eks-ami", "nodeadm/internal/kubelet/instance-info.jsonl")
    prices = Source(mirrors, "karpenter", "aws/karpenter-provider-aws",
                    "pkg/providers/pricing/zz_generated.pricing_aws.go")
    prices.date = re.search(r"generated at (\S+) for us-east-1", prices.text).group(1)[:10]
    old = Source(mirrors, "kube-resource-report-2020", "hjacobs/kube-resource-report",
                 "kube_resource_report/aws-ec2-costs-monthly.csv")
    eni = {}
    for line in enis.text.splitlines():
        d = json.loads(line)
        eni[d["instanceType"]] = (d["defaultMaxENIs"], d["ipv4AddressesPerInterface"])
    burst = baselines("aws-burstable.tsv")
    rows = []
    for name, f in sorted(go_structs(shapes.text).items()):
        if "." not in name:
            continue  # family-only rows (`c5`)
        series = name.split(".")[0]
        cls = aws_class(series)
        if cls is None:
            continue  # mac: macOS on dedicated hosts, never a Kubernetes node
        e = eni.get(name, ("", ""))
        baseline = burst.get(name, "")
        gen = "previous" if series in AWS_PREVIOUS else "current"
        rows.append([name, f["VCPU"], f["MemoryMb"], f["GPU"], f["Architecture"], cls, series, gen,
                     baseline, str(e[0]), str(e[1])])
    names = [r[0] for r in rows]
    now = go_float_map(prices.text, '"us-east-1": {')
    regions = {"us-east-1": ("karpenter", {n: now[n] for n in names if n in now})}
    # 2020 figures: monthly = hourly x 730.5. A type whose 2020 us-east-1
    # price is today's has not been re-priced: its 2020 figures of other
    # regions are taken, dated 2020; other types are unpriced there.
    by_region = {}
    for line in old.text.splitlines():
        region, name, monthly = line.split(",")
        region = AWS_TITLES.get(region, region)
        by_region.setdefault(region, {})[name] = round(float(monthly) / 730.5, 6)
    same = {n for n, p in by_region.get("us-east-1", {}).items() if n in now and abs(p - now[n]) < 1e-4}
    for region, table in sorted(by_region.items()):
        if region == "us-east-1" or region.startswith("us-gov-") or region.count("-") > 2:
            continue
        regions[region] = ("kube-resource-report-2020", {n: p for n, p in table.items() if n in same})
    header = [shapes.line("vCPUs, memory, GPUs, architecture"),
              enis.line("ENIs and IPv4 addresses per ENI"),
              f"#source\tbaseline\t{FACTS.name}/aws-burstable.tsv\t(vendored)\t-\t-\tburstable baseline per vCPU",
              prices.line("on-demand Linux USD per hour, us-east-1"),
              old.line("on-demand Linux USD per month / 730.5, types whose us-east-1 price is unchanged since 2020")]
    return header, rows, regions


# ---------------------------------------------------------------- Azure
AZURE_CLASS = [("B", "burstable"), ("DC", "general"), ("EC", "memory"), ("D", "general"),
               ("A", "entry"), ("F", "compute"), ("E", "memory"), ("M", "memory"),
               ("G", "memory"), ("L", "storage"), ("N", "accelerated"), ("H", "hpc")]
# A-series (Av2): entry-level sizes for development and test (learn.microsoft.com/
# azure/virtual-machines/sizes/general-purpose/av2-series): class `entry`, not
# ranked unless asked for.
# Azure's previous-generation sizes (learn.microsoft.com/azure/
# virtual-machines/sizes/previous-gen-sizes-list): A v1, D/DS v1, F/Fs v1,
# G/GS and Basic A; B v1.
# Bv1 too: its page carries the previous-generation header.
AZURE_PREVIOUS = re.compile(r"^(Basic_A\d+|Standard_A\d+|Standard_DS?\d+|Standard_Fs?\d+|Standard_GS?\d+|Standard_B\d+l?m?s)$")


def azure_class(name):
    size = name.split("_", 1)[1] if "_" in name else name
    for prefix, cls in AZURE_CLASS:
        if size.startswith(prefix):
            return cls
    return "other"


def azure(mirrors):
    shapes = Source(mirrors, "shapes", "kubernetes/autoscaler",
                    "cluster-autoscaler/cloudprovider/azure/azure_instance_types.go")
    prices = Source(mirrors, "karpenter", "Azure/karpenter-provider-azure",
                    "pkg/providers/pricing/zz_generated.pricing.go")
    prices.date = re.search(r"generated at (\S+)", prices.text).group(1)[:10]
    burst = baselines("azure-burstable.tsv")
    rows = []
    for name, f in sorted(go_structs(shapes.text).items()):
        series = re.sub(r"^standard|Family$", "", f["SkuFamily"])
        gen = "previous" if AZURE_PREVIOUS.match(name) else "current"
        baseline = burst.get(name, "")
        rows.append([name, f["VCPU"], f["MemoryMb"], f["GPU"], f["Architecture"], azure_class(name),
                     series, gen, baseline, "", ""])
    names = {r[0] for r in rows}
    regions = {}
    for region, body in re.findall(r'initialOnDemandPrices\["([a-z0-9]+)"\] = map\[string\]float64\{(.*?)\n\t\}',
                                   prices.text, re.S):
        table = {k: float(v) for k, v in re.findall(r'"([^"]+)":\s*([0-9.]+)', body)}
        regions[region] = ("karpenter", {n: p for n, p in table.items() if n in names})
    header = [shapes.line("vCPUs, memory, GPUs, architecture, SKU family"),
              f"#source\tbaseline\t{FACTS.name}/azure-burstable.tsv\t(vendored)\t-\t-\tburstable baseline of the VM",
              prices.line("on-demand Linux USD per hour, every region")]
    return header, rows, regions


# ---------------------------------------------------------------- GCP
# GiB per vCPU of each predefined machine type, by series and class, as
# Compute Engine's machine-family pages give them (cloud.google.com/compute/
# docs/general-purpose-machines, compute-optimized-machines). Series whose
# shapes do not follow a ratio (accelerator, memory-optimized, Z3, H3, bare
# metal) are left out of the catalog.
GCP_RATIO = {
    "e2": {"standard": 4, "highmem": 8, "highcpu": 1},
    "n1": {"standard": 3.75, "highmem": 6.5, "highcpu": 0.9},
    "n2": {"standard": 4, "highmem": 8, "highcpu": 1},
    "n2d": {"standard": 4, "highmem": 8, "highcpu": 1},
    "n4": {"standard": 4, "highmem": 8, "highcpu": 2},
    "n4d": {"standard": 4, "highmem": 8, "highcpu": 2},
    "n4a": {"standard": 4, "highmem": 8, "highcpu": 2},
    "c2": {"standard": 4},
    "c2d": {"standard": 4, "highmem": 8, "highcpu": 2},
    "c3": {"standard": 4, "highmem": 8, "highcpu": 2},
    "c3d": {"standard": 4, "highmem": 8, "highcpu": 2},
    "c4": {"standard": 3.75, "highmem": 7.75, "highcpu": 2},
    "c4a": {"standard": 4, "highmem": 8, "highcpu": 2},
    "c4d": {"standard": 3.875, "highmem": 7.875, "highcpu": 1.875},
    "t2d": {"standard": 4},
    "t2a": {"standard": 4},
}
# Shared-core types: vCPUs, GiB, and the share of each vCPU sustained
# (E2 shared-core: e2-micro 0.25, e2-small 0.5, e2-medium 1 of one core over 2 vCPUs).
GCP_SHARED = {"e2-micro": (2, 1, 12.5), "e2-small": (2, 2, 25), "e2-medium": (2, 4, 50),
              "f1-micro": (1, 0.6, 20), "g1-small": (1, 1.7, 50)}
GCP_ARM = {"t2a", "c4a", "n4a"}
GCP_CLASS = {"c2": "compute", "c2d": "compute", "c3": "general", "c3d": "general", "c4": "general",
             "c4a": "general", "c4d": "general", "t2d": "general", "t2a": "general"}
GCP_PREVIOUS = {"n1", "f1", "g1"}


def gcp(mirrors):
    names = Source(mirrors, "names", "kubernetes/autoscaler", "cluster-autoscaler/cloudprovider/gce/gce_price_info.go")
    prices = Source(mirrors, "karpenter", "cloudpilot-ai/karpenter-provider-gcp",
                    "pkg/providers/pricing/initial-prices.json")
    table = json.loads(prices.text)["prices"]
    known = set(go_float_map(names.text, "instancePrices = map[string]float64{"))
    for region in table.values():
        known |= set(region["on_demand"])
    rows = []
    for name in sorted(known):
        parts = name.split("-")
        series = parts[0]
        if name in GCP_SHARED:
            cpu, gib, base = GCP_SHARED[name]
            cls, baseline = "burstable", str(base)
        else:
            if len(parts) < 3 or not parts[2].isdigit() or series not in GCP_RATIO:
                continue
            if len(parts) > 3 and parts[3:] != ["lssd"]:
                continue  # bare metal and other variants of other shapes
            ratio = GCP_RATIO[series].get(parts[1])
            if ratio is None:
                continue
            cpu, gib = int(parts[2]), int(parts[2]) * GCP_RATIO[series][parts[1]]
            cls = {"highmem": "memory", "highcpu": "compute"}.get(parts[1], GCP_CLASS.get(series, "general"))
            baseline = ""
        arch = "arm64" if series in GCP_ARM else "amd64"
        gen = "previous" if series in GCP_PREVIOUS else "current"
        rows.append([name, str(cpu), str(round(gib * 1024)), "0", arch, cls, series, gen, baseline, "", ""])
    kept = {r[0] for r in rows}
    regions = {r: ("karpenter", {n: p for n, p in t["on_demand"].items() if n in kept}) for r, t in table.items()}
    header = [names.line("predefined machine-type names (instancePrices)"),
              "#source\tshapes\tcloud.google.com/compute/docs/machine-resource\t(rules in tools/build-catalog.py)\t-\t-\tvCPUs from the name, GiB per vCPU by series and class",
              prices.line("on-demand Linux USD per hour, every region")]
    return header, rows, regions


def usable(row):
    """A row with vCPUs and memory (the Azure table gives Standard_B1ls's
    512 MiB as 0: integer GiB upstream)."""
    return int(row[1]) > 0 and int(row[2]) > 0


COLUMNS = ["name", "vcpu", "memoryMiB", "gpus", "arch", "class", "series", "generation",
           "baselinePercent", "enis", "ipsPerEni"]


def write(platform, header, rows, regions):
    out = ROOT / "profiles/catalog"
    out.mkdir(exist_ok=True)
    rows = [r for r in rows if usable(r)]
    lines = [f"# kubeplan's {platform} instance catalog: generated by tools/build-catalog.py, do not edit."]
    lines += header + ["\t".join(COLUMNS)] + ["\t".join(r) for r in rows]
    (out / f"{platform}.tsv").write_text("\n".join(lines) + "\n")
    order = [r[0] for r in rows]
    lines = [f"# {platform} on-demand prices, USD per hour: a line per region, the prices in the order of {platform}.tsv (empty: no price)",
             "region\tsource\tprices"]
    for region in sorted(regions):
        key, table = regions[region]
        cells = [repr(table[n]) if n in table else "" for n in order]
        lines.append(f"{region}\t{key}\t{','.join(cells)}")
    (out / f"{platform}-prices.tsv").write_text("\n".join(lines) + "\n")


def main():
    mirrors = Path(sys.argv[1])
    for platform, build in (("aws", aws), ("azure", azure), ("gcp", gcp)):
        write(platform, *build(mirrors))


if __name__ == "__main__":
    main()
