"""Word lists for the entity tables: names, cities and their places, e-mail domains, suffixes.

Provenance:

- Given names, family names and the list of cities: Faker's en_IN person and address
  providers, vendored into :mod:`ecomgen.entities.locale_en_in` (Faker version, file paths
  and MIT licence notice there). Faker is not imported at run time, so a Faker release
  cannot change ecomgen's output.
- ``CITY_TABLE`` (state and tier of each city), the tier shares, ``EMAIL_DOMAINS`` and the
  merchant name suffixes: written for ecomgen.

Every list is a tuple sampled with keyed random codes, never one call per row.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from ecomgen.entities import locale_en_in

#: City -> (state or union territory, tier). Tier 1: metro; 2: large city; 3: other.
#: Written for ecomgen; covers every city of the vendored Faker en_IN list
#: (``locale_en_in.CITIES``).
CITY_TABLE: dict[str, tuple[str, int]] = {
    # metros
    "Mumbai": ("Maharashtra", 1), "Delhi": ("Delhi", 1), "New Delhi": ("Delhi", 1),
    "Kolkata": ("West Bengal", 1), "Chennai": ("Tamil Nadu", 1),
    "Bangalore": ("Karnataka", 1), "Hyderabad": ("Telangana", 1),
    "Secunderabad": ("Telangana", 1), "Ahmedabad": ("Gujarat", 1), "Pune": ("Maharashtra", 1),
    # large cities
    "Kanpur": ("Uttar Pradesh", 2), "Surat": ("Gujarat", 2), "Jaipur": ("Rajasthan", 2),
    "Lucknow": ("Uttar Pradesh", 2), "Nagpur": ("Maharashtra", 2),
    "Indore": ("Madhya Pradesh", 2), "Bhopal": ("Madhya Pradesh", 2),
    "Ludhiana": ("Punjab", 2), "Patna": ("Bihar", 2), "Visakhapatnam": ("Andhra Pradesh", 2),
    "Vadodara": ("Gujarat", 2), "Agra": ("Uttar Pradesh", 2), "Thane": ("Maharashtra", 2),
    "Varanasi": ("Uttar Pradesh", 2), "Ranchi": ("Jharkhand", 2), "Nashik": ("Maharashtra", 2),
    "Dhanbad": ("Jharkhand", 2), "Faridabad": ("Haryana", 2), "Meerut": ("Uttar Pradesh", 2),
    "Pimpri-Chinchwad": ("Maharashtra", 2), "Howrah": ("West Bengal", 2),
    "Allahabad": ("Uttar Pradesh", 2), "Ghaziabad": ("Uttar Pradesh", 2),
    "Rajkot": ("Gujarat", 2), "Amritsar": ("Punjab", 2), "Jabalpur": ("Madhya Pradesh", 2),
    "Coimbatore": ("Tamil Nadu", 2), "Madurai": ("Tamil Nadu", 2),
    "Srinagar": ("Jammu and Kashmir", 2), "Aurangabad": ("Maharashtra", 2),
    "Solapur": ("Maharashtra", 2), "Vijayawada": ("Andhra Pradesh", 2),
    "Jodhpur": ("Rajasthan", 2), "Gwalior": ("Madhya Pradesh", 2), "Guwahati": ("Assam", 2),
    "Chandigarh": ("Chandigarh", 2), "Hubli–Dharwad": ("Karnataka", 2),
    "Mysore": ("Karnataka", 2), "Tiruchirappalli": ("Tamil Nadu", 2),
    "Bareilly": ("Uttar Pradesh", 2), "Jalandhar": ("Punjab", 2),
    "Navi Mumbai": ("Maharashtra", 2), "Salem": ("Tamil Nadu", 2), "Kota": ("Rajasthan", 2),
    "Aligarh": ("Uttar Pradesh", 2), "Moradabad": ("Uttar Pradesh", 2),
    "Bhubaneswar": ("Odisha", 2), "Gorakhpur": ("Uttar Pradesh", 2),
    "Raipur": ("Chhattisgarh", 2), "Kochi": ("Kerala", 2), "Jamshedpur": ("Jharkhand", 2),
    "Bhilai": ("Chhattisgarh", 2), "Amravati": ("Maharashtra", 2), "Cuttack": ("Odisha", 2),
    "Warangal": ("Telangana", 2), "Bikaner": ("Rajasthan", 2), "Guntur": ("Andhra Pradesh", 2),
    "Bhavnagar": ("Gujarat", 2), "Durgapur": ("West Bengal", 2),
    "Kolhapur": ("Maharashtra", 2), "Ajmer": ("Rajasthan", 2), "Asansol": ("West Bengal", 2),
    "Siliguri": ("West Bengal", 2), "Jamnagar": ("Gujarat", 2), "Kozhikode": ("Kerala", 2),
    "Ujjain": ("Madhya Pradesh", 2), "Dehradun": ("Uttarakhand", 2),
    "Mangalore": ("Karnataka", 2), "Jammu": ("Jammu and Kashmir", 2),
    "Thiruvananthapuram": ("Kerala", 2), "Noida": ("Uttar Pradesh", 2),
    "Gurgaon": ("Haryana", 2),
    # other cities
    "Kalyan-Dombivli": ("Maharashtra", 3), "Vasai-Virar": ("Maharashtra", 3),
    "Bhiwandi": ("Maharashtra", 3), "Mira-Bhayandar": ("Maharashtra", 3),
    "Ulhasnagar": ("Maharashtra", 3), "Jalgaon": ("Maharashtra", 3),
    "Saharanpur": ("Uttar Pradesh", 3), "Bhatpara": ("West Bengal", 3),
    "Sangli-Miraj & Kupwad": ("Maharashtra", 3), "Nanded": ("Maharashtra", 3),
    "Rourkela": ("Odisha", 3), "Gulbarga": ("Karnataka", 3), "Tirunelveli": ("Tamil Nadu", 3),
    "Malegaon": ("Maharashtra", 3), "Akola": ("Maharashtra", 3), "Belgaum": ("Karnataka", 3),
    "Bokaro": ("Jharkhand", 3), "South Dumdum": ("West Bengal", 3),
    "Udaipur": ("Rajasthan", 3), "Gaya": ("Bihar", 3), "Maheshtala": ("West Bengal", 3),
    "Jhansi": ("Uttar Pradesh", 3), "Nellore": ("Andhra Pradesh", 3),
    "Davanagere": ("Karnataka", 3), "Kollam": ("Kerala", 3), "Panihati": ("West Bengal", 3),
    "Kurnool": ("Andhra Pradesh", 3), "Tiruppur": ("Tamil Nadu", 3),
    "Dhule": ("Maharashtra", 3), "Bhagalpur": ("Bihar", 3),
    "Rajpur Sonarpur": ("West Bengal", 3), "Kakinada": ("Andhra Pradesh", 3),
    "Thrissur": ("Kerala", 3), "Bellary": ("Karnataka", 3),
    "Muzaffarnagar": ("Uttar Pradesh", 3), "Korba": ("Chhattisgarh", 3),
    "Rajahmundry": ("Andhra Pradesh", 3), "Kamarhati": ("West Bengal", 3),
    "Ambattur": ("Tamil Nadu", 3), "Berhampur": ("Odisha", 3),
    "Ahmednagar": ("Maharashtra", 3), "Muzaffarpur": ("Bihar", 3), "Patiala": ("Punjab", 3),
    "Mathura": ("Uttar Pradesh", 3), "Latur": ("Maharashtra", 3), "Sambalpur": ("Odisha", 3),
    "Shahjahanpur": ("Uttar Pradesh", 3), "Kulti": ("West Bengal", 3),
    "Chandrapur": ("Maharashtra", 3), "Nizamabad": ("Telangana", 3),
    "Rohtak": ("Haryana", 3), "Bardhaman": ("West Bengal", 3),
    "Rampur": ("Uttar Pradesh", 3), "Bhilwara": ("Rajasthan", 3),
    "Firozabad": ("Uttar Pradesh", 3), "Bilaspur": ("Chhattisgarh", 3),
    "Shimoga": ("Karnataka", 3), "Agartala": ("Tripura", 3), "Gopalpur": ("Odisha", 3),
    "Darbhanga": ("Bihar", 3), "Panipat": ("Haryana", 3), "Bally": ("West Bengal", 3),
    "Alwar": ("Rajasthan", 3), "Parbhani": ("Maharashtra", 3),
    "Ichalkaranji": ("Maharashtra", 3), "Anantapuram": ("Andhra Pradesh", 3),
    "Baranagar": ("West Bengal", 3), "Tumkur": ("Karnataka", 3),
    "Ramagundam": ("Telangana", 3), "Jalna": ("Maharashtra", 3), "Durg": ("Chhattisgarh", 3),
    "Sagar": ("Madhya Pradesh", 3), "Bihar Sharif": ("Bihar", 3),
    "Dewas": ("Madhya Pradesh", 3), "Barasat": ("West Bengal", 3),
    "Avadi": ("Tamil Nadu", 3), "Farrukhabad": ("Uttar Pradesh", 3), "Aizawl": ("Mizoram", 3),
    "Tirupati": ("Andhra Pradesh", 3), "Bijapur": ("Karnataka", 3),
    "Satara": ("Maharashtra", 3), "Satna": ("Madhya Pradesh", 3),
    "Ratlam": ("Madhya Pradesh", 3), "Imphal": ("Manipur", 3),
    "Pondicherry": ("Puducherry", 3), "North Dumdum": ("West Bengal", 3),
    "Anantapur": ("Andhra Pradesh", 3), "Khammam": ("Telangana", 3),
    "Ozhukarai": ("Puducherry", 3), "Bathinda": ("Punjab", 3),
    "Thoothukudi": ("Tamil Nadu", 3), "Thanjavur": ("Tamil Nadu", 3),
    "Naihati": ("West Bengal", 3), "Sonipat": ("Haryana", 3), "Mau": ("Uttar Pradesh", 3),
    "Tiruvottiyur": ("Tamil Nadu", 3), "Hapur": ("Uttar Pradesh", 3),
    "Sri Ganganagar": ("Rajasthan", 3), "Karnal": ("Haryana", 3),
    "Etawah": ("Uttar Pradesh", 3), "Nagercoil": ("Tamil Nadu", 3),
    "Raichur": ("Karnataka", 3), "Raurkela Industrial Township": ("Odisha", 3),
    "Karimnagar": ("Telangana", 3), "Mirzapur": ("Uttar Pradesh", 3),
    "Bharatpur": ("Rajasthan", 3), "Ambarnath": ("Maharashtra", 3), "Arrah": ("Bihar", 3),
    "Uluberia": ("West Bengal", 3), "Serampore": ("West Bengal", 3),
    "Dindigul": ("Tamil Nadu", 3), "Gandhinagar": ("Gujarat", 3),
    "Burhanpur": ("Madhya Pradesh", 3), "Nadiad": ("Gujarat", 3),
    "Eluru": ("Andhra Pradesh", 3), "Yamunanagar": ("Haryana", 3),
    "Kharagpur": ("West Bengal", 3), "Munger": ("Bihar", 3), "Pali": ("Rajasthan", 3),
    "Katni": ("Madhya Pradesh", 3), "Singrauli": ("Madhya Pradesh", 3),
    "Tenali": ("Andhra Pradesh", 3), "Sikar": ("Rajasthan", 3), "Silchar": ("Assam", 3),
    "Rewa": ("Madhya Pradesh", 3), "Sambhal": ("Uttar Pradesh", 3),
    "Machilipatnam": ("Andhra Pradesh", 3), "Vellore": ("Tamil Nadu", 3),
    "Alappuzha": ("Kerala", 3), "Bulandshahr": ("Uttar Pradesh", 3),
    "Haridwar": ("Uttarakhand", 3), "Vijayanagaram": ("Andhra Pradesh", 3),
    "Erode": ("Tamil Nadu", 3), "Bidar": ("Karnataka", 3), "Bhusawal": ("Maharashtra", 3),
    "Khandwa": ("Madhya Pradesh", 3), "Purnia": ("Bihar", 3), "Haldia": ("West Bengal", 3),
    "Chinsurah": ("West Bengal", 3), "Bhiwani": ("Haryana", 3),
    "Raebareli": ("Uttar Pradesh", 3), "Junagadh": ("Gujarat", 3),
    "Bahraich": ("Uttar Pradesh", 3), "Gandhidham": ("Gujarat", 3), "Mango": ("Jharkhand", 3),
    "Raiganj": ("West Bengal", 3), "Amroha": ("Uttar Pradesh", 3),
    "Sultan Pur Majra": ("Delhi", 3), "Hospet": ("Karnataka", 3),
    "Bidhannagar": ("West Bengal", 3), "Malda": ("West Bengal", 3), "Sirsa": ("Haryana", 3),
    "Berhampore": ("West Bengal", 3), "Jaunpur": ("Uttar Pradesh", 3),
    "Surendranagar Dudhrej": ("Gujarat", 3), "Madhyamgram": ("West Bengal", 3),
    "Kirari Suleman Nagar": ("Delhi", 3), "Bhind": ("Madhya Pradesh", 3),
    "Nandyal": ("Andhra Pradesh", 3), "Chittoor": ("Andhra Pradesh", 3),
    "Bhalswa Jahangir Pur": ("Delhi", 3), "Fatehpur": ("Uttar Pradesh", 3),
    "Morena": ("Madhya Pradesh", 3), "Nangloi Jat": ("Delhi", 3),
    "Ongole": ("Andhra Pradesh", 3), "Karawal Nagar": ("Delhi", 3),
    "Shivpuri": ("Madhya Pradesh", 3), "Morbi": ("Gujarat", 3),
    "Unnao": ("Uttar Pradesh", 3), "Pallavaram": ("Tamil Nadu", 3),
    "Kumbakonam": ("Tamil Nadu", 3), "Shimla": ("Himachal Pradesh", 3),
    "Mehsana": ("Gujarat", 3), "Panchkula": ("Haryana", 3), "Orai": ("Uttar Pradesh", 3),
    "Ambala": ("Haryana", 3), "Dibrugarh": ("Assam", 3), "Guna": ("Madhya Pradesh", 3),
    "Danapur": ("Bihar", 3), "Sasaram": ("Bihar", 3), "Anand": ("Gujarat", 3),
    "Kottayam": ("Kerala", 3), "Hazaribagh": ("Jharkhand", 3),
    "Kadapa": ("Andhra Pradesh", 3), "Saharsa": ("Bihar", 3), "Nagaon": ("Assam", 3),
    "Loni": ("Uttar Pradesh", 3), "Hajipur": ("Bihar", 3), "Dehri": ("Bihar", 3),
    "Bettiah": ("Bihar", 3), "Katihar": ("Bihar", 3), "Deoghar": ("Jharkhand", 3),
    "Jorhat": ("Assam", 3), "Siwan": ("Bihar", 3), "Panvel": ("Maharashtra", 3),
    "Hosur": ("Tamil Nadu", 3), "Tinsukia": ("Assam", 3), "Bongaigaon": ("Assam", 3),
    "Motihari": ("Bihar", 3), "Jamalpur": ("Bihar", 3), "Suryapet": ("Telangana", 3),
    "Begusarai": ("Bihar", 3), "Miryalaguda": ("Telangana", 3),
    "Proddatur": ("Andhra Pradesh", 3), "Karaikudi": ("Tamil Nadu", 3),
    "Kishanganj": ("Bihar", 3), "Phusro": ("Jharkhand", 3), "Buxar": ("Bihar", 3),
    "Tezpur": ("Assam", 3), "Jehanabad": ("Bihar", 3), "Chapra": ("Bihar", 3),
    "Ramgarh": ("Jharkhand", 3), "Gangtok": ("Sikkim", 3), "Adoni": ("Andhra Pradesh", 3),
    "Amaravati": ("Andhra Pradesh", 3), "Ballia": ("Uttar Pradesh", 3),
    "Bhimavaram": ("Andhra Pradesh", 3), "Dharmavaram": ("Andhra Pradesh", 3),
    "Giridih": ("Jharkhand", 3), "Gudivada": ("Andhra Pradesh", 3),
    "Guntakal": ("Andhra Pradesh", 3), "Hindupur": ("Andhra Pradesh", 3),
    "Kavali": ("Andhra Pradesh", 3), "Khora": ("Uttar Pradesh", 3),
    "Madanapalle": ("Andhra Pradesh", 3), "Mahbubnagar": ("Telangana", 3),
    "Medininagar": ("Jharkhand", 3), "Narasaraopet": ("Andhra Pradesh", 3),
    "Phagwara": ("Punjab", 3), "Pudukkottai": ("Tamil Nadu", 3),
    "Srikakulam": ("Andhra Pradesh", 3), "Tadepalligudem": ("Andhra Pradesh", 3),
    "Tadipatri": ("Andhra Pradesh", 3), "Udupi": ("Karnataka", 3),
}

#: Share of customers living in each city tier (Indian e-commerce: metros lead, but tier 2
#: and smaller towns together are the majority of shoppers).
CUSTOMER_TIER_SHARES: dict[int, float] = {1: 0.42, 2: 0.33, 3: 0.25}
#: Merchants' warehouses cluster in metros and large cities even more.
MERCHANT_TIER_SHARES: dict[int, float] = {1: 0.55, 2: 0.35, 3: 0.10}

#: E-mail domains and their shares (written for ecomgen).
EMAIL_DOMAINS: dict[str, float] = {
    "gmail.com": 0.58, "yahoo.co.in": 0.10, "outlook.com": 0.07, "rediffmail.com": 0.06,
    "hotmail.com": 0.06, "yahoo.com": 0.06, "icloud.com": 0.04, "protonmail.com": 0.01,
    "zoho.com": 0.02,
}

#: Merchant name suffixes by merchant type (other types use GENERIC_MERCHANT_SUFFIXES);
#: written for ecomgen.
MERCHANT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "brand_store": ("Official Store", "Brand Store", "Store", "Exclusive"),
    "marketplace_seller": ("Traders", "Enterprises", "Retail", "Online", "Ventures",
                           "Sales", "E-Commerce"),
    "wholesaler": ("Wholesale", "Distributors", "Agencies", "Trading Co", "Supply Co"),
    "local_retailer": ("Mart", "Stores", "General Store", "Bazaar",
                       "Emporium", "Superstore"),
}
GENERIC_MERCHANT_SUFFIXES: tuple[str, ...] = ("Traders", "Retail", "Mart", "Enterprises")

_SLUG_DROP = re.compile(r"[^a-z0-9]")


def first_names(gender: str | None = None) -> tuple[str, ...]:
    """Vendored en_IN given names for a gender label (male, female, or all of them)."""
    key = (gender or "").strip().lower()
    if key in ("male", "m", "man", "men"):
        return locale_en_in.FIRST_NAMES_MALE
    if key in ("female", "f", "woman", "women"):
        return locale_en_in.FIRST_NAMES_FEMALE
    return locale_en_in.FIRST_NAMES


def last_names() -> tuple[str, ...]:
    """Vendored en_IN family names."""
    return locale_en_in.LAST_NAMES


@cache
def cities() -> tuple[tuple[str, ...], tuple[str, ...], np.ndarray]:
    """(city names, state of each, tier of each) for the vendored en_IN cities."""
    names = locale_en_in.CITIES
    states = tuple(CITY_TABLE[c][0] for c in names)
    tiers = np.array([CITY_TABLE[c][1] for c in names], dtype=np.int64)
    return names, states, tiers


@cache
def states() -> tuple[str, ...]:
    """State labels in order of first appearance among the cities (customers' state index)."""
    return tuple(dict.fromkeys(cities()[1]))


@cache
def state_of_city() -> np.ndarray:
    """Index into ``states()`` of each city."""
    labels = states()
    return np.array([labels.index(s) for s in cities()[1]], dtype=np.int64)


#: City populations in millions (Census of India 2011, rounded). Metros: urban
#: agglomerations (New Delhi and Secunderabad: their own municipal areas inside the Delhi
#: and Hyderabad agglomerations); large cities (tier 2): the city itself. Written for
#: ecomgen from the published census totals.
CITY_POPULATION_M: dict[str, float] = {
    "Mumbai": 18.4, "Delhi": 16.3, "Kolkata": 14.1, "Chennai": 8.7, "Bangalore": 8.5,
    "Hyderabad": 7.7, "Ahmedabad": 6.4, "Pune": 5.0, "New Delhi": 0.25, "Secunderabad": 0.2,
    "Surat": 4.47, "Jaipur": 3.05, "Lucknow": 2.82, "Kanpur": 2.77, "Nagpur": 2.41,
    "Indore": 1.96, "Thane": 1.84, "Bhopal": 1.80, "Visakhapatnam": 1.73,
    "Pimpri-Chinchwad": 1.73, "Patna": 1.68, "Vadodara": 1.67, "Ghaziabad": 1.65,
    "Ludhiana": 1.62, "Agra": 1.59, "Nashik": 1.49, "Faridabad": 1.41, "Meerut": 1.31,
    "Rajkot": 1.29, "Varanasi": 1.20, "Srinagar": 1.18, "Aurangabad": 1.18, "Dhanbad": 1.16,
    "Amritsar": 1.13, "Navi Mumbai": 1.12, "Allahabad": 1.11, "Howrah": 1.08, "Ranchi": 1.07,
    "Jabalpur": 1.06, "Gwalior": 1.05, "Coimbatore": 1.05, "Vijayawada": 1.03,
    "Jodhpur": 1.03, "Madurai": 1.02, "Raipur": 1.01, "Kota": 1.00, "Guwahati": 0.96,
    "Chandigarh": 0.96, "Solapur": 0.95, "Hubli–Dharwad": 0.94, "Bareilly": 0.90,
    "Mysore": 0.89, "Moradabad": 0.89, "Gurgaon": 0.88, "Aligarh": 0.87, "Jalandhar": 0.87,
    "Tiruchirappalli": 0.85, "Bhubaneswar": 0.84, "Salem": 0.83, "Thiruvananthapuram": 0.75,
    "Warangal": 0.70, "Gorakhpur": 0.67, "Guntur": 0.65, "Amravati": 0.65, "Bikaner": 0.64,
    "Noida": 0.64, "Jamshedpur": 0.63, "Bhilai": 0.63, "Cuttack": 0.61, "Kozhikode": 0.61,
    "Kochi": 0.60, "Jamnagar": 0.60, "Bhavnagar": 0.59, "Dehradun": 0.58, "Durgapur": 0.57,
    "Asansol": 0.56, "Kolhapur": 0.55, "Ajmer": 0.54, "Ujjain": 0.52, "Siliguri": 0.51,
    "Jammu": 0.50, "Mangalore": 0.49,
}


def city_weights(tiers: np.ndarray, shares: dict[int, float]) -> np.ndarray:
    """Per-city weights giving each tier its share; within the metros and large cities
    (tiers 1 and 2) in proportion to population, within the other cities evenly (they are
    all of a few hundred thousand people)."""
    names = cities()[0]
    pop = np.array([CITY_POPULATION_M[c] if t in (1, 2) else 1.0
                    for c, t in zip(names, tiers.tolist(), strict=True)], dtype=np.float64)
    totals = {t: float(pop[tiers == t].sum()) for t in shares}
    return np.array([shares[t] * p / totals[t] for t, p in zip(tiers.tolist(), pop,
                                                                strict=True)],
                    dtype=np.float64)


def slug(text: str) -> str:
    """Lowercase ASCII letters and digits of a name (for e-mail local parts)."""
    return _SLUG_DROP.sub("", text.lower())


def take(labels: tuple[str, ...] | list[str], codes: Any, name: str = "") -> pl.Series:
    """String column: ``labels[codes]`` gathered vectorised (codes on the host)."""
    return pl.Series(name, list(labels), dtype=pl.String).gather(np.asarray(codes))
